"""discourse.pipeline.keys: the key checks shared by the pipeline's config and stages."""

from __future__ import annotations

import doctest

import pytest

from discourse.pipeline import config, keys, stages


def test_config_and_stages_share_one_error_type() -> None:
    # stages reports through keys, never through config (no cycle), and the names stay importable from config
    assert stages.ConfigError is keys.ConfigError is config.ConfigError
    assert config.check_keys is keys.check_keys


def test_unknown_key_names_the_closest() -> None:
    with pytest.raises(keys.ConfigError, match=r"unknown key 'frequ'; allowed keys: by, freq \(did you mean 'freq'\?\)"):
        keys.check_keys({"frequ": "M"}, ["freq", "by"], "analyses[0].frames.counts[0]")


def test_docstring_examples() -> None:
    result = doctest.testmod(keys, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

"""Topic models: LDA (tomotopy, gensim, scikit-learn) and NMF, their evaluation and tables.

>>> from discourse.topics import LDA, NMF, coherence, select_k
"""

from discourse.base import NotFittedError
from discourse.storage import ModelFileError
from discourse.topics.base import TopicModel, load_model
from discourse.topics.coordinates import topic_coordinates
from discourse.topics.covariate import DMR, DynamicLDA
from discourse.topics.effects import TopicEffects, estimate_effect
from discourse.topics.evaluate import (
    coherence,
    exclusivity,
    frex,
    perplexity,
    held_out_log_likelihood,
    select_k,
    stability,
    topic_diversity,
)
from discourse.topics.export import to_pyldavis
from discourse.topics.lda import LDA, fold_in
from discourse.topics.nmf import NMF
from discourse.topics.prevalence import representative_documents, topic_prevalence

__all__ = [
    "LDA", "NMF", "TopicModel", "load_model", "NotFittedError", "ModelFileError", "fold_in", "coherence", "perplexity", "held_out_log_likelihood",
    "topic_diversity", "exclusivity", "frex", "stability", "select_k", "topic_prevalence",
    "representative_documents", "to_pyldavis", "DMR", "DynamicLDA", "estimate_effect", "TopicEffects", "topic_coordinates",
]

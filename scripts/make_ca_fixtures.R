# Reference values of correspondence analysis from FactoMineR, for tests/test_textometry_ca.py.
# Input: the lexical tables exported by scripts/export_ca_tables.py (tests/fixtures/ca/*.csv).
# Output: tests/fixtures/ca/<table>_factominer.json (eigenvalues, coordinates, contributions,
# cos2 of active and supplementary rows and columns). Run from the repository root:
#   Rscript scripts/make_ca_fixtures.R
suppressPackageStartupMessages({
  library(FactoMineR)
  library(jsonlite)
})

dir <- file.path("tests", "fixtures", "ca")

frame <- function(m) {
  m <- as.matrix(m)
  list(labels = I(rownames(m)), values = unname(split(m, row(m))))
}

run <- function(name, row_sup = NULL, col_sup = NULL, ncp = 5) {
  tab <- read.csv(file.path(dir, paste0(name, ".csv")), row.names = 1, check.names = FALSE,
                  encoding = "UTF-8")
  rs <- if (is.null(row_sup)) NULL else match(row_sup, rownames(tab))
  cs <- if (is.null(col_sup)) NULL else match(col_sup, colnames(tab))
  res <- CA(tab, ncp = ncp, row.sup = rs, col.sup = cs, graph = FALSE)
  out <- list(
    table = name,
    ncp = ncp,
    row_sup = if (is.null(row_sup)) list() else as.list(row_sup),
    col_sup = if (is.null(col_sup)) list() else as.list(col_sup),
    factominer = as.character(packageVersion("FactoMineR")),
    eigenvalues = unname(res$eig[, 1]),
    row_coord = frame(res$row$coord), row_contrib = frame(res$row$contrib), row_cos2 = frame(res$row$cos2),
    col_coord = frame(res$col$coord), col_contrib = frame(res$col$contrib), col_cos2 = frame(res$col$cos2)
  )
  if (!is.null(rs)) { out$row_sup_coord <- frame(res$row.sup$coord); out$row_sup_cos2 <- frame(res$row.sup$cos2) }
  if (!is.null(cs)) { out$col_sup_coord <- frame(res$col.sup$coord); out$col_sup_cos2 <- frame(res$col.sup$cos2) }
  write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = FALSE),
        file.path(dir, paste0(name, "_factominer.json")))
  cat(name, ": ", nrow(tab), " x ", ncol(tab), "\n", sep = "")
}

groups <- read.csv(file.path(dir, "groups.csv"), row.names = 1, check.names = FALSE, encoding = "UTF-8")
run("groups", row_sup = "NI", col_sup = tail(colnames(groups), 3))
run("sittings")

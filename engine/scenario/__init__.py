"""Scenario data: the schema (``schema``), loading (``loader``), variants (``variants``),
cross-reference checks (``checks``) and error formatting (``errors``)."""

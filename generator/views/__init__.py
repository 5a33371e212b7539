"""Views: what templates see. Plain records built from the archive; never the models."""

from __future__ import annotations

from generator.views.base import ArticleSummary, EntityLink, Link, QuoteSummary, ViewBase
from generator.views.listings import ListingViews
from generator.views.pages import PageViews


class Views(PageViews, ListingViews):
    """Builds the view of every page; one per build."""


__all__ = ["ArticleSummary", "EntityLink", "Link", "QuoteSummary", "ViewBase", "Views"]

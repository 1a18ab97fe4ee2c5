"""Spiders: one CMS-family spider per platform (spiders/families), one thin leaf per registered site."""

"""Pressroom: Arabic-first articles (Markdown or scraped text) become magazine PDFs."""

__version__ = "0.1.0"

"""Laid-out pages → the finished PDF: editions, the text layer, metadata."""

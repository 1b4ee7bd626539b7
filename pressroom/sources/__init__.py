"""Article sources → Article: Markdown with front matter, scraped web text, issue manifests."""

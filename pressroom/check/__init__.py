"""PDF → what readers get out of it: text per reader, scores, reading within limits."""

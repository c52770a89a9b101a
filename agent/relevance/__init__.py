"""Rank papers to a reader's interests, offline: profiles, BM25 and optional embeddings, explanations,
near-duplicates. The CLI calls `rank_records` (agent.relevance.service); everything else is here to test."""

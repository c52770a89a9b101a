"""Backfills through the OpenAI Batch API (or vLLM's batch runner) with the live `llm` engine's schema.

prepare (requests.py) -> submit / status (api.py) -> collect (results.py); the ledger (ledger.py) keeps,
in the store, which paper each request line stands for and which batch carries it.
"""

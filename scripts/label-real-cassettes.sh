#!/usr/bin/env bash
# Put the origin line first in every cassette recorded against the real model server, as the cassette
# check (tests/engines/test_cassettes_clean.py) requires: which server, its version, and which model.
set -euo pipefail
cd "$(dirname "$0")/.."
line="# Recorded against a real model server: llama-cpp-python 0.3.36, model qwen2.5-coder-0.5b-instruct-q4_k_m (Q4_K_M GGUF, sha256 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32), served by scripts/local-llm.sh on 127.0.0.1"
for f in cassettes/test_real_cassettes/*.yaml; do
  if ! head -1 "$f" | grep -q '^# Recorded against a real model server:'; then
    { echo "$line"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
  fi
done

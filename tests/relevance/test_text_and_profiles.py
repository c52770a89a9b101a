"""Words, acronyms and profiles: the parts of ranking that read text a person or a reference manager wrote."""

from __future__ import annotations

import json

import pytest

from agent.errors import InputError
from agent.relevance.profile import (Profile, ProfilePaper, dump_profile, load_profile, parse_profile,
                                     read_papers_file, save_profile, split_interests)
from agent.relevance.text import learn_acronyms, query_concepts, stem, terms
from agent.relevance.thesaurus import parsed


def test_plural_and_verb_forms_meet():
    for a, b in [("caches", "caching"), ("quantization", "quantized"), ("distribution", "distributed"),
                 ("convolutional", "convolution"), ("serving", "serve"), ("policies", "policy"),
                 ("deployment", "deployed"), ("efficiency", "efficient"), ("speed", "speeds")]:
        assert stem(a) == stem(b), (a, b)
    assert stem("speed") == "speed" and stem("moment") == "moment"  # not a past tense, too short for -ment


def test_every_thesaurus_line_reads_and_its_broader_concepts_exist():
    lines = parsed()
    labels = [label for label, _, _ in lines]
    assert len(labels) == len(set(labels)) and len(labels) >= 40
    for label, members, broader in lines:
        assert members and all(m and "," not in m for m in members), label
        assert all(b in labels and b != label for b in broader), label


def test_a_concept_is_named_by_any_member_plurals_folded_within_a_sentence_and_not_by_other_forms():
    said = [t for t in terms("A taxonomy of key-value caches, and on-device MoEs.", concepts=True) if t[0] == "~"]
    assert said == ["~survey", "~kv_cache", "~edge_device", "~mixture_of_experts"]
    assert "~pre-training" not in terms("We fine-tune pre-trained models.", concepts=True)  # not pre-training
    assert "~pre-training" in terms("Pretraining at scale.", concepts=True)
    assert "~cloud-edge_collaboration" not in terms("edge devices, cloud servers", concepts=True)  # a comma between
    assert terms("A survey.", concepts=True).count("~survey") == 1
    assert terms("A systematic review.", concepts=True).count("~survey") == 1  # overlapping members: once


def test_an_interest_names_its_concepts_with_its_own_terms_and_not_their_broader_ones():
    assert query_concepts("surveys of LLM serving") == [("~survey", ["survey"]), ("~serving", ["llm", "serv", "llm serv"])]
    assert [c for c, _ in query_concepts("4-bit quantization")] == ["~quantization"]  # not ~model_compression
    assert "~model_compression" in terms("4-bit quantization", concepts=True)  # a document carries it


def test_terms_keep_neighbouring_words_as_phrases_but_not_across_a_stop_word():
    t = terms("KV cache compression for the serving of models")
    assert "kv cach" in t and "cach compress" in t
    assert "compress serv" not in t  # "for the" stands between them


def test_an_acronym_defined_in_one_abstract_stands_for_its_long_form_in_every_document():
    acronyms = learn_acronyms(["We study Convolutional Neural Networks (CNNs) on spheres.",
                               "Mixture-of-Experts (MoE) layers and Key-Value (KV) caches."])
    assert acronyms["cnn"] == [stem("convolutional"), "neural", "network"]
    assert acronyms["moe"] == ["mixtur", "expert"] and acronyms["kv"] == ["key", "valu"]
    assert stem("convolutional") in terms("Spherical CNNs", acronyms)


def test_interests_split_on_commas_semicolons_and_lines_but_not_inside_brackets():
    assert split_interests("speculative decoding, KV cache compression;\nMoE (routing, balance)") == [
        "speculative decoding", "KV cache compression", "MoE (routing, balance)"]


def test_a_profile_round_trips_through_its_toml_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_CONFIG_DIR", str(tmp_path))
    profile = Profile("sys", ['LLM "serving"', "KV cache"], [ProfilePaper("My paper", "About\\nthings", "2401.00001")],
                      ["title:abc"])
    path = save_profile(profile)
    assert path == tmp_path / "profiles" / "sys.toml"
    assert load_profile("sys") == profile
    assert "interests = [" in dump_profile(profile)


def test_a_hand_edited_profile_with_a_mistake_is_one_line_naming_the_file(tmp_path):
    with pytest.raises(InputError, match=r"p\.toml: 'interests' must be a list of strings"):
        parse_profile("p", "interests = 3\n", "p.toml")
    with pytest.raises(InputError, match=r"p\.toml: not valid TOML"):
        parse_profile("p", "interests = [\n", "p.toml")


def test_an_unknown_profile_names_the_known_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_CONFIG_DIR", str(tmp_path))
    save_profile(Profile("a", ["x"]))
    with pytest.raises(InputError, match=r"no profile named 'b' \(known: a;"):
        load_profile("b")
    with pytest.raises(InputError, match="profile name"):
        load_profile("../etc")


BIB = r"""
@comment{exported by a reference manager}
@article{kwon2023,
  title = {Efficient Memory Management for Large Language Model Serving with {PagedAttention}},
  author = {Kwon, Woosuk and others},
  abstract = {High throughput serving of large language models requires batching.},
  eprint = {2309.06180},
  year = 2023,
}
@inproceedings{x, title="Speculative Decoding: a {\em survey}", url = {https://arxiv.org/abs/2401.07851v2}}
"""


def test_bibtex_entries_give_title_abstract_and_arxiv_id(tmp_path):
    f = tmp_path / "mine.bib"
    f.write_text(BIB)
    papers, ids = read_papers_file(f)
    assert ids == []
    assert papers[0] == ProfilePaper("Efficient Memory Management for Large Language Model Serving with PagedAttention",
                                     "High throughput serving of large language models requires batching.", "2309.06180")
    assert papers[1].title == "Speculative Decoding: a survey" and papers[1].id == "2401.07851"


def test_csl_json_zotero_csv_and_id_lists(tmp_path):
    csl = tmp_path / "mine.json"
    csl.write_text(json.dumps([{"id": "a", "title": "Paper A", "abstract": "Text.", "URL": "https://arxiv.org/abs/2501.00001"},
                               {"id": "b"}]))
    assert read_papers_file(csl) == ([ProfilePaper("Paper A", "Text.", "2501.00001")], [])
    zot = tmp_path / "export.csv"
    zot.write_text('"Key","Item Type","Title","Abstract Note","Url"\n"K1","journalArticle","Paper B","About B.",""\n')
    assert read_papers_file(zot) == ([ProfilePaper("Paper B", "About B.", None)], [])
    ids = tmp_path / "ids.txt"
    ids.write_text("# mine\n2309.06180\nhttps://arxiv.org/abs/2401.07851v2\n")
    assert read_papers_file(ids) == ([], ["2309.06180", "2401.07851"])
    ids.write_text("2309.06180\nnot an id\n")
    with pytest.raises(InputError, match="cannot read 'not an id'"):
        read_papers_file(ids)
    zot.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="'Title' column"):
        read_papers_file(zot)

"""A small thesaurus of machine-learning-systems vocabulary: the ways papers name one idea ("survey",
"systematic review", "taxonomy"; "on-device", "mobile", "edge"; "KV cache", "key-value cache").

Each line is a concept: its label, then the words and phrases that name it. A paper that uses any of them
carries the concept as one more term ("~survey"), and an interest that names the concept lets it stand in
for the interest's own words: "surveys of ..." reaches a paper that calls itself "a systematic review of
...", at `lexical.CONCEPT_WEIGHT` of what the word "survey" would have scored, so the paper using the
reader's own word still ranks first. A line may end with `< broader, ...`: a paper naming the concept
also carries those broader ones, an interest does not (a paper on quantization answers "model
compression"; a paper on pruning does not answer "quantization"). A line is a set of synonyms, not a
topic: siblings ("tensor parallelism", "pipeline parallelism") are lines of their own under a broader one.

A member matches the same words in the same order, lower-cased, hyphens read as spaces and plurals folded
("key-value caches" is "key value cache"), never across a comma or a full stop; other endings are not
folded ("pre-trained" is not "pre-training"), so a line lists the forms it means. What belongs here is
the field's vocabulary, as readers and authors word the same topic, never a word chosen for one paper's
title; keep members specific enough that a paper using one is about the idea ("local" alone is not
"edge": federated papers train "local models"; "alignment" alone is also "representation alignment").
"""

from __future__ import annotations

import functools

CONCEPTS = """
survey: survey, review, overview, taxonomy, literature review, systematic review, tutorial, systematization
edge device: edge device, edge computing, edge inference, edge deployment, on-device, mobile, smartphone, embedded device, iot device, consumer device, resource-constrained device, local inference, local deployment, locally deployed, locally-deployed, local llm, local lm, offline inference
small model: small language model, slm, small model, small llm, smaller model, smaller language model, smaller llm, lightweight model, lightweight llm, lightweight language model, compact model, compact language model, tiny model, tinyml
model compression: model compression, compressed model, compressing model, compress model, compress llm, compressing llm
quantization: quantization, quantized, quantize, quantizing, low-bit, low precision, low-precision, int4, int8, fp8, fp4, float8, nf4, 2-bit, 3-bit, 4-bit, 8-bit, binarization, binarized, ptq, qat < model compression
pruning: pruning, pruned, prune, sparsity, sparsification, sparse model, sparse weight, unstructured sparsity, structured sparsity < model compression
distillation: distillation, distill, distilled, distilling, teacher model, student model, teacher-student < model compression
low-rank: low-rank, lora, low-rank adaptation, low-rank decomposition, low-rank factorization, low-rank approximation, svd
parameter-efficient fine-tuning: parameter-efficient, peft, lora, qlora, adapter, prefix tuning, prompt tuning, low-rank adaptation < fine-tuning
fine-tuning: fine-tuning, finetuning, fine-tune, finetune, fine-tuned, finetuned, instruction tuning, supervised fine-tuning, sft
pre-training: pre-training, pretraining, pre-train, pretrain
kv cache: kv cache, kvcache, kv-cache, key-value cache, key value cache, kv caching, attention cache, prefix cache, prefix caching, prompt cache, prompt caching
speculative decoding: speculative decoding, speculative sampling, speculative inference, draft model, draft token, lookahead decoding, self-speculative
mixture of experts: mixture of experts, mixture-of-experts, moe, expert parallelism, sparse expert, expert layer, expert routing
serving: serving, serving system, inference serving, model serving, llm serving, llm service, inference service, inference engine, inference system, serving engine, vllm
scheduling: scheduling, scheduler, request scheduling, dispatching
long context: long context, context length, context window, long sequence, long input, long document, extended context, million token
distributed training: distributed training, parallel training, multi-gpu training, multi-node training, large-scale training, megatron, deepspeed
parallelism: parallelism, parallelization, parallelize, parallelizing, 3d parallelism, hybrid parallelism, model parallelism, model parallel
data parallelism: data parallelism, data parallel, fsdp, zero redundancy optimizer < parallelism, distributed training
tensor parallelism: tensor parallelism, tensor parallel < parallelism, distributed training
pipeline parallelism: pipeline parallelism, pipeline parallel < parallelism, distributed training
sequence parallelism: sequence parallelism, sequence parallel, context parallelism, context parallel < parallelism
communication: communication, communicate, communicating, collective communication, allreduce, all-reduce, nccl
network bandwidth: network bandwidth, communication bandwidth, low-bandwidth, interconnect, rdma, network traffic, inter-node < communication
federated learning: federated, federated learning, fl, cross-device, cross-silo, decentralized training
privacy: privacy, privacy-preserving, differential privacy, private data, confidential computing
multi-agent: multi-agent, multiagent, multiple agents, agent collaboration, collaborative agents, agent team, agent society, agents collaborate
agent: agent, agentic, llm agent, autonomous agent, agentic workflow
tool use: tool use, tool usage, tool learning, tool calling, tool call, tool invocation, tool-augmented, function calling, function call, api call, plugin
retrieval-augmented generation: retrieval-augmented generation, retrieval-augmented, retrieval augmentation, rag, retriever
reinforcement learning: reinforcement learning, rl, rlhf, rlvr, policy optimization, ppo, grpo, policy gradient
alignment: llm alignment, human alignment, value alignment, preference alignment, safety alignment, rlhf, preference optimization, dpo, human feedback, preference learning
reasoning: reasoning, chain of thought, chain-of-thought, cot, step-by-step, multi-step reasoning, test-time compute, test-time scaling, inference-time scaling
prompting: prompting, prompt engineering, prompt optimization, in-context learning, icl, few-shot prompting
hallucination: hallucination, hallucinate, factuality, faithfulness, factual consistency
acceleration: acceleration, accelerate, accelerating, accelerated, speedup, speed up, speeding up, faster, fast inference, low latency, latency reduction, reduce latency, reducing latency
energy: energy efficiency, energy consumption, energy cost, energy usage, power consumption, carbon footprint
memory efficiency: memory-efficient, memory efficiency, memory footprint, memory usage, memory consumption, offloading, offload, activation checkpointing, recomputation
hardware accelerator: accelerator, hardware accelerator, ai accelerator, ai chip
gpu: gpu, graphics processing unit < hardware accelerator
tpu: tpu, tensor processing unit < hardware accelerator
npu: npu, neural processing unit < hardware accelerator
fpga: fpga, field-programmable gate array < hardware accelerator
supercomputer: supercomputer, supercomputing, hpc, high-performance computing, exascale
heterogeneous hardware: heterogeneous gpu, heterogeneous cluster, heterogeneous hardware, heterogeneous device, heterogeneous accelerator
elastic scaling: elastic, elasticity, autoscaling, auto-scaling, auto scaling, elastic scaling, scale out
fault tolerance: fault tolerance, fault-tolerant, failure recovery, resilience
gpu kernel: gpu kernel, cuda kernel, custom kernel, fused kernel, kernel fusion, operator fusion, cuda, triton
compiler: compiler, compilation, graph optimization, tvm, mlir, xla
efficient attention: efficient attention, attention optimization
flash attention: flashattention, flash attention < efficient attention
sparse attention: sparse attention < efficient attention
linear attention: linear attention < efficient attention
paged attention: paged attention, pagedattention < efficient attention
routing: routing, router, model routing, llm routing, cascade, cascading, model cascade, model selection
model merging: model merging, merge model, merging model, merged model, weight merging, model fusion, model soup
cloud-edge collaboration: cloud-edge, edge-cloud, device-cloud, hybrid inference, collaborative inference, split inference, split computing
benchmark: benchmarking, empirical study, measurement study, measurement, characterization, performance analysis, profiling, empirical analysis, empirical evaluation
scaling law: scaling law, compute-optimal, chinchilla, emergent ability
data processing: data processing, data pipeline, data curation, data preparation
data cleaning: data cleaning, data filtering, deduplication < data processing
data management: data management, data system
database: database, dbms, relational database, sql, query processing, query optimization < data management
data lake: data lake, data warehouse < data management
multimodal: multimodal, multi-modal, vision-language, vlm, mllm, vision language model, image-text
code generation: code generation, program synthesis, code llm, coding assistant, generate code
recommendation: recommendation, recommender, recommender system, recommendation system, click-through rate, ctr
continual learning: continual learning, lifelong learning, catastrophic forgetting, incremental learning
diffusion model: diffusion model, diffusion, denoising diffusion, score-based model
image generation: image generation, image synthesis, text-to-image
text embedding: embedding model, text embedding, sentence embedding
vector search: vector search, vector database, approximate nearest neighbor, similarity search, dense retrieval
"""


@functools.lru_cache(maxsize=1)
def parsed() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(label, members, broader labels) for each line of CONCEPTS."""
    out = []
    for line in CONCEPTS.strip().splitlines():
        label, _, rest = line.partition(":")
        rest, _, broader = rest.partition("<")
        members = tuple(m.strip() for m in rest.split(",") if m.strip())
        out.append((label.strip(), members, tuple(b.strip() for b in broader.split(",") if b.strip())))
    return tuple(out)


def concept_term(label: str) -> str:
    """The term a concept adds: '~' and its label ('~kv_cache'); no word of a text starts with '~'."""
    return "~" + label.replace(" ", "_")


def label_of(term: str) -> str:
    return term[1:].replace("_", " ")

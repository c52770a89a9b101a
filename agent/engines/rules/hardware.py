"""Hardware platforms an abstract runs on: named accelerators, supercomputers, interconnects, classes.

Named models win over classes: "32 NVIDIA A100 GPUs" gives "NVIDIA A100", not also "GPU". A class is
listed only when the text uses it as the platform ("GPU clusters", "CPU usage"), not as a memory tier
("offloading to CPU memory"). Surveys only discuss hardware, so the engine asks for none from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .scan import alternation, finditer_near, search_near
from .tags import tokens

# (pattern, canonical name or a format with {0} for the captured model)
# (literal triggers, pattern, canonical name as a format of the captured groups). A pattern is only
# run when one of its triggers occurs in the text: a substring test is much cheaper than a regex scan.
_NVIDIA_MODELS = (
    "K80",
    "K40",
    "K20",
    "M40",
    "M60",
    "P40",
    "A100",
    "H100",
    "H200",
    "H800",
    "H20",
    "A800",
    "V100",
    "P100",
    "A10",
    "A30",
    "A40",
    "L40",
    "L4",
    "T4",
    "B200",
    "B100",
    "GB200",
    "GH200",
)
_NAMED: list[tuple[tuple[str, ...], re.Pattern[str], str]] = [
    (
        _NVIDIA_MODELS,
        re.compile(
            r"(?:\b|(?<=\d[xX×])|(?<=\dtimes))(?:NVIDIA\s+|Nvidia\s+|Tesla\s+)?(A100|H100|H200|H800|H20|A800|V100|P100|A10G|A10|A30|A40|"
            r"L40S|L40|L4|T4|K80|K40|K20|M40|M60|P40|B200|B100|GB200|GH200)s?(?![\w-])"
        ),
        "NVIDIA {0}",
    ),
    (
        ("RTX",),
        re.compile(r"\b(?:NVIDIA\s+)?(?:GeForce\s+)?RTX\s?(\d{4}(?:\s?Ti)?|A\d{4}|\d{1,2}\d{2}\s?Ada)\b"),
        "NVIDIA RTX {0}",
    ),
    (
        ("GTX", "Titan", "TITAN"),
        re.compile(r"\b(?:NVIDIA\s+)?(?:GeForce\s+)?(GTX\s?\d{3,4}(?:\s?Ti)?|(?:Titan|TITAN)\s?(?:Xp|X|V|RTX)?)\b"),
        "NVIDIA {0}",
    ),
    (
        ("Jetson",),
        re.compile(r"\b(?:NVIDIA\s+)?Jetson\s+(?:AGX\s+)?(Orin(?:\s+Nano|\s+NX)?|Xavier(?:\s+NX)?|Nano|TX2)\b"),
        "Jetson {0}",
    ),
    (
        ("DGX", "HGX"),
        re.compile(r"\b(?:NVIDIA\s+)?(DGX|HGX)\s+(A100|H100|H200|B200|GB200|SuperPOD)\b"),
        "NVIDIA {0} {1}",
    ),
    (("MI",), re.compile(r"\b(?:AMD\s+)?(?:Instinct\s+)?(MI\d{2,3}[XA]?)\b"), "AMD {0}"),
    (("EPYC", "Ryzen"), re.compile(r"\b(?:AMD\s+)?(EPYC|Ryzen)(?:\s+(\d{4}\w*))?\b"), "AMD {0}"),
    (("TPU", "tpu", "Tpu"), re.compile(r"\b(?:Google\s+|Cloud\s+)?TPU[\s-]?(v\d[a-z]?)\b", re.I), "TPU {0}"),
    (
        ("M1", "M2", "M3", "M4"),
        re.compile(r"\b(?:Apple\s+)?(M[1-4](?:\s+(?:Pro|Max|Ultra))?)(?=\s+(?:chip|Mac|MacBook|Pro|Max|Ultra|SoC)|\))"),
        "Apple {0}",
    ),
    (("Apple",), re.compile(r"\bApple\s+(M[1-4](?:\s+(?:Pro|Max|Ultra))?)\b"), "Apple {0}"),
    (("Apple",), re.compile(r"\bApple\s+(?:silicon|Silicon)\b"), "Apple silicon"),
    (("Intel",), re.compile(r"\bIntel\s+(Xeon|Gaudi\s?\d?|Core\s+i\d|Habana\s+Gaudi\s?\d?|Arc|Max)\b"), "Intel {0}"),
    (("Intel",), re.compile(r"\bIntel\s+(i[3579])-?\d{3,5}\w*"), "Intel Core {0}"),
    (("Xeon",), re.compile(r"\b(Xeon)\b"), "Intel Xeon"),
    (("Gaudi",), re.compile(r"\b(?:Intel\s+|Habana\s+)*Gaudi\s?(\d)?\b"), "Intel Gaudi{0}"),
    (("Trainium", "Inferentia"), re.compile(r"\b(?:AWS\s+)?(Trainium|Inferentia)\s?(\d)?\b"), "AWS {0}{1}"),
    (("Ascend",), re.compile(r"\b(?:Huawei\s+)?Ascend\s+(\d{3}[A-Z]?\d?)\b"), "Ascend {0}"),
    (("Ascend",), re.compile(r"\b(?:Huawei\s+)?Ascend\s+NPUs?\b"), "Huawei Ascend NPU"),
    (("Snapdragon",), re.compile(r"\b(?:Qualcomm\s+)?Snapdragon\s+(\d{3}|8\s+Gen\s+\d)\b"), "Qualcomm Snapdragon {0}"),
    (("Raspberry",), re.compile(r"\bRaspberry\s+Pi(?:\s+(\d))?\b"), "Raspberry Pi"),
    (("CS-", "WSE-"), re.compile(r"\b(?:Cerebras\s+)?(CS-[23]|WSE-[23])\b"), "Cerebras {0}"),
    (("Groq",), re.compile(r"\bGroq\s+LPUs?\b"), "Groq LPU"),
    (("Graviton",), re.compile(r"\bGraviton\s?(\d)?\b"), "AWS Graviton"),
    (("EC2",), re.compile(r"\b(?:(?:Amazon|AWS)\s+)?(?:Elastic\s+Compute\s+Cloud\s+)?\(?EC2\b"), "Amazon EC2"),
]
_TRIGGER_RE = re.compile(alternation(t for ts, _, _ in _NAMED for t in ts))
_VENDOR_CLASS = re.compile(r"\b(NVIDIA|AMD|Intel|Huawei|Apple)\s+(GPU|CPU|NPU)s?\b")
_SUPERCOMPUTERS = re.compile(
    r"\b(Frontier|Summit|Aurora|Fugaku|Perlmutter|Polaris|Selene|Sierra|Lassen|LUMI|Leonardo|"
    r"Alps|El Capitan|JUWELS|Sunway)\b"
)
_SUPER_NAMES = (
    "Frontier",
    "Summit",
    "Aurora",
    "Fugaku",
    "Perlmutter",
    "Polaris",
    "Selene",
    "Sierra",
    "Lassen",
    "LUMI",
    "Leonardo",
    "Alps",
    "El Capitan",
    "JUWELS",
    "Sunway",
)
_SUPER_WORDS = frozenset(w.lower() for n in _SUPER_NAMES for w in n.split())
# words that place a supercomputer's name in its field, looked for in the lower-case text
_SUPER_CONTEXT = (
    "supercomput",
    "exascale",
    "hpc",
    "high-performance computing",
    "national lab",
    "oak ridge",
    "leadership-class",
    "leadership class",
    "olcf",
    "alcf",
    "nersc",
    "riken",
    "cluster",
)
_INTERCONNECTS = [
    ("nvlink", re.compile(r"\bNVLink\b", re.I), "NVLink"),
    ("nvswitch", re.compile(r"\bNVSwitch\b", re.I), "NVSwitch"),
    ("infiniband", re.compile(r"\bInfiniBand\b", re.I), "InfiniBand"),
    ("rdma", re.compile(r"\bRDMA\b"), "RDMA"),
    ("roce", re.compile(r"\bRoCE(?:v2)?\b"), "RoCE"),
    ("ethernet", re.compile(r"\bEthernet\b", re.I), "Ethernet"),
    ("pci", re.compile(r"\bPCIe\b|\bPCI\s+Express\b", re.I), "PCIe"),
    ("cxl", re.compile(r"\bCXL\b"), "CXL"),
]
# Classes, each listed only when the text uses it as the platform.
_GPU = re.compile(r"\b(?:multi-)?GPUs?\b(?![\s-]+(?:memor\w*|HBM|VRAM|-GPU))|\b\d+-GPU\b", re.I)
_GPU_MEMORY_ONLY = re.compile(r"\bGPU\s+and\s+CPU\s+memor", re.I)
_CPU = re.compile(
    r"\bCPUs?\b(?=\s+(?:usage|utili[sz]ation|time|clusters?|servers?|nodes?|inference|only|-only|backends?|platforms?))"
    r"|\b(?:on|across)\s+(?:a\s+|the\s+|commodity\s+|multi-core\s+|single\s+)?CPUs?\b(?!\s+(?:memor\w*|cores))"
    r"|\bCPU-only\b"
    r"|\b\d+[\s-]CPU[\s-]cores?\b|\b\d+[\s-]cores?\s+CPUs?\b"
    r"|\b(?:using|uses|use|with)\s+(?:only\s+)?(?:\d+\s+|commodity\s+|multi-core\s+)?CPUs?\b(?!\s+(?:memor\w*|offload\w*))",
    re.I,
)
_TPU = re.compile(r"\bTPUs?\b", re.I)
_NPU = re.compile(r"\bNPUs?\b")
_FPGA = re.compile(r"\bFPGAs?\b")
_EDGE = re.compile(
    r"\b(?:edge|IoT|end|embedded)\s+devices?\b|\b(?:directly\s+)?on[\s-]device\b|\bon\s+(?:edge|end|user|client)?\s*devices\b",
    re.I,
)
_MOBILE = re.compile(r"\b(?:mobile\s+(?:devices?|phones?)|smartphones?|phones)\b", re.I)
_OTHER_CLASSES = [
    ("server", re.compile(r"\bedge\s+servers?\b", re.I), "edge servers"),
    ("laptop", re.compile(r"\blaptops?\b", re.I), "laptops"),
]


# The class names this module gives (as opposed to named platforms).
HARDWARE_CLASSES = frozenset(
    ("GPU", "CPU", "TPU", "NPU", "FPGA", "edge devices", "mobile devices", "edge servers", "laptops")
)


# The words of a title that say the paper is about a class ("... on Any GPU/TPUs", "Cloud-Edge ...",
# "... for Mobile Text Editing"), so that the class counts even where only the scene-setting sentences name it.
_CLASS_WORDS = {
    "GPU": ("gpu",),
    "CPU": ("cpu",),
    "TPU": ("tpu",),
    "NPU": ("npu",),
    "FPGA": ("fpga",),
    "edge devices": ("edge", "device"),
    "edge servers": ("edge",),
    "mobile devices": ("mobile", "phone", "device"),
    "laptops": ("laptop", "local"),
}
_CLASS_TOKENS = frozenset(
    w + end
    for w in ("gpu", "cpu", "tpu", "npu", "fpga", "edge", "mobile", "phone", "smartphone", "device", "laptop", "local")
    for end in ("", "s")
)


def classes_named(title_tokens: list[str]) -> set[str]:
    """The classes a title (its `tags.tokens`) says the paper is about."""
    if _CLASS_TOKENS.isdisjoint(title_tokens):  # most titles name no class: one set test
        return set()
    said = " ".join(title_tokens)
    return {n for n, ws in _CLASS_WORDS.items() if any(w in said for w in ws)}


_TI = re.compile(r"(\d)Ti\b")


def _fmt(pattern: str, m: re.Match[str]) -> str:
    groups = [_TI.sub(r"\1 Ti", " ".join((g or "").split())) for g in m.groups()]  # "1080Ti" -> "1080 Ti"
    out = pattern.format(*groups) if groups else pattern
    return " ".join(out.split())


def extract_hardware(
    text: str,
    words: set[str] | None = None,
    scene: list[tuple[int, int]] | None = None,
    scene_ok: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """Hardware named in `text` (title and abstract), normalised, in order of first mention.

    `words` is the set of lower-case words of `text` (see `tags.tokens`) when the caller has it: presence
    tests on it are cheaper than substring searches. A class (GPU, mobile devices, ...) mentioned only
    inside the `scene` spans (sentences that set the scene) is not the platform, unless it is in `scene_ok`
    (the title says the paper is about it); named platforms count wherever they are."""
    if words is None:
        words = set(tokens(text))
    found: list[tuple[int, str]] = []

    def add(pos: int, name: str) -> None:
        if all(n.lower() != name.lower() for _, n in found):
            found.append((pos, name))

    def in_scene(pos: int) -> bool:
        return any(s <= pos < e for s, e in scene) if scene else False

    def first(matches: Iterator[re.Match[str]], name: str) -> re.Match[str] | None:
        """The first match that names the platform: outside the scene, unless the title vouches for it."""
        for m in matches:
            if name in scene_ok or not in_scene(m.start()):
                return m
        return None

    present = set(_TRIGGER_RE.findall(text))
    for triggers, rx, fmt in _NAMED:
        if present.isdisjoint(triggers):
            continue
        for m in finditer_near(rx, text, text, tuple(present.intersection(triggers)), 25, 25):
            add(m.start(), _fmt(fmt, m))
    lower = text.lower()
    vendors = (
        ()
        if words.isdisjoint(("nvidia", "amd", "intel", "huawei", "apple"))
        else ("NVIDIA", "AMD", "Intel", "Huawei", "Apple")
    )
    for m in finditer_near(_VENDOR_CLASS, text, text, vendors, 0, 12):
        vendor, cls = m.group(1), m.group(2)
        if not any(n.startswith(vendor.replace("Huawei", "Huawei Ascend")) for _, n in found):
            add(m.start(), f"{vendor} {cls}")
    if not words.isdisjoint(_SUPER_WORDS) and any(w in lower for w in _SUPER_CONTEXT):
        for m in _SUPERCOMPUTERS.finditer(text):
            if not re.match(r"\s+(?:models?|LLMs?|AI|labs?|research)\b", text[m.end() :]):
                add(m.start(), m.group(1))
    for trigger, rx, name in _INTERCONNECTS:
        if (
            trigger not in words
            and not (trigger == "pci" and "pcie" in words)
            and not (trigger == "roce" and "rocev2" in words)
        ):
            continue
        m = search_near(rx, text, lower, (trigger,), 2, 12)
        if m:
            add(m.start(), name)

    named = [n for _, n in found]
    has_gpu = any(
        n.startswith(("NVIDIA", "AMD MI", "AMD GPU", "Jetson", "Apple", "Intel Gaudi", "Intel Max", "Intel Arc"))
        for n in named
    )
    has_cpu = any(
        n.startswith(("Intel Xeon", "Intel Core", "AMD EPYC", "AMD Ryzen", "AWS Graviton", "Intel CPU", "AMD CPU"))
        for n in named
    )
    has_tpu = any(n.startswith("TPU") for n in named)
    has_npu = any("Ascend" in n or n.endswith("NPU") for n in named)

    if not has_gpu and not words.isdisjoint(("gpu", "gpus")):
        for m in finditer_near(_GPU, text, lower, ("gpu",), 12, 30):
            if not _GPU_MEMORY_ONLY.match(text, m.start()) and ("GPU" in scene_ok or not in_scene(m.start())):
                add(m.start(), "GPU")
                break
    if not has_cpu and not words.isdisjoint(("cpu", "cpus")):
        m = first(finditer_near(_CPU, text, lower, ("cpu",), 30, 30), "CPU")
        if m:
            add(m.start(), "CPU")
    if not has_tpu and not words.isdisjoint(("tpu", "tpus")):
        m = first(finditer_near(_TPU, text, lower, ("tpu",), 2, 4), "TPU")
        if m:
            add(m.start(), "TPU")
    if not has_npu and not words.isdisjoint(("npu", "npus")):
        m = first(finditer_near(_NPU, text, text, ("NPU",), 2, 4), "NPU")
        if m:
            add(m.start(), "NPU")
    m = (
        first(finditer_near(_FPGA, text, text, ("FPGA",), 2, 4), "FPGA")
        if not words.isdisjoint(("fpga", "fpgas"))
        else None
    )
    if m:
        add(m.start(), "FPGA")
    m = (
        first(finditer_near(_EDGE, text, lower, ("device",), 30, 10), "edge devices")
        if not words.isdisjoint(("device", "devices"))
        else None
    )
    if m:
        add(m.start(), "edge devices")
    m = (
        first(finditer_near(_MOBILE, text, lower, ("phone", "mobile"), 8, 12), "mobile devices")
        if not words.isdisjoint(("mobile", "phone", "phones", "smartphone", "smartphones"))
        else None
    )
    if m:
        add(m.start(), "mobile devices")
    for trigger, rx, name in _OTHER_CLASSES:
        m = (
            first(finditer_near(rx, text, lower, (trigger,), 10, 12), name)
            if not words.isdisjoint((trigger, trigger + "s"))
            else None
        )
        if m:
            add(m.start(), name)
    found.sort(key=lambda t: t[0])
    return [n for _, n in found]

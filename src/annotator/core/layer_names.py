"""The names of the layers that are not one annotator's, and the sentences that explain them
(no imports: the CLI's option definitions read them before any storage code loads)."""

ALL = "all"
GOLD = "gold"
MAJORITY = "majority"
SUGGESTIONS = "suggestions"

DEFAULT_LAYER = "gold if there is one, else the only annotator"
"""The layer export and train read when none is chosen (core.layers.default_layer)."""

MAJORITY_MEANS = (
    "majority: the spans (same label, start and end) marked by more than half of the "
    "annotators who worked on the document (made a span or set a status there)"
)
"""What the majority layer holds (core.layers, _majority)."""


def no_gold_layer(doing: str) -> str:
    """The refusal of `doing` ("export", "train") from a gold layer the project does not have,
    saying how to get one."""
    return (
        f"this project has no gold layer yet: make one with `annotator gold set ANNOTATOR` (or "
        f"by reviewing in the app), or {doing} with --layer all, --layer majority or "
        "--layer ANNOTATOR"
    )


def no_default_layer(doing: str, annotators: list[str], others: list[str]) -> str:
    """The refusal of `doing` ("export", "train") without --layer when no layer is the default
    (no gold layer, and not exactly one annotator): the layers to choose from, and how."""
    who = f"{len(annotators)} annotators" if annotators else "no annotator yet"
    return (
        f"choose the layer to {doing} with --layer: this project has no gold layer and {who}, "
        f"so no layer is the default ({DEFAULT_LAYER}); layers: {', '.join(annotators + others)} "
        f"({MAJORITY_MEANS}); `annotator gold set ANNOTATOR` makes one annotator's layer gold"
    )

"""The names of the layers that are not one annotator's (no imports: the CLI's option
definitions read them before any storage code loads)."""

ALL = "all"
GOLD = "gold"
MAJORITY = "majority"
SUGGESTIONS = "suggestions"


def no_gold_layer(doing: str) -> str:
    """The refusal of `doing` ("export", "train") from a gold layer the project does not have,
    saying how to get one."""
    return (
        f"this project has no gold layer yet: make one with `annotator gold set ANNOTATOR` (or "
        f"by reviewing in the app), or {doing} with --layer all, --layer majority or "
        "--layer ANNOTATOR"
    )

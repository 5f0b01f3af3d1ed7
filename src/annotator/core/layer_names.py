"""The names of the layers that are not one annotator's (no imports: the CLI's option
definitions read them before any storage code loads)."""

ALL = "all"
GOLD = "gold"
MAJORITY = "majority"
SUGGESTIONS = "suggestions"

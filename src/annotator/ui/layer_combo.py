"""The layer combo of the Export and Train dialogs: it opens on the layer the command line
takes without --layer (core.layers.default_layer), or on no layer, asking for one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from annotator.core.layer_names import MAJORITY, MAJORITY_MEANS
from annotator.core.layers import default_layer
from annotator.core.model import Annotator

CHOOSE_LAYER = "Choose a layer"


def select_default_layer(combo: QComboBox, annotators: Sequence[Annotator]) -> None:
    """Select the default layer of a project with these annotators; with none (several
    annotators, no gold) select nothing and show "Choose a layer". The majority item's tooltip
    says what the majority is."""
    combo.setPlaceholderText(CHOOSE_LAYER)
    chosen = default_layer(annotators)
    combo.setCurrentIndex(-1 if chosen is None else combo.findData(chosen))
    majority = combo.findData(MAJORITY)
    if majority >= 0:
        combo.setItemData(majority, MAJORITY_MEANS.capitalize(), Qt.ItemDataRole.ToolTipRole)


def no_layer_chosen(combo: QComboBox) -> bool:
    """True when the combo shows "Choose a layer" (nothing selected yet)."""
    return combo.currentIndex() < 0

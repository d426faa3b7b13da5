"""Form editor for the structured parts of a charter, generated from the template schema.

People who do not write YAML edit the instances, the decision matrix, the lifecycle… as
ordinary fields: one fieldset per element of a list, buttons to add, remove and move elements,
drop-down lists where a part names an instance, a function or a decision level. The schema
(``schema.json``) says which fields exist and which are required (``schema``); the package adds
the French labels (``labels``), reads the posted fields back, applies the list buttons and turns
what was typed into the section's value (``posted``), and builds the form's tree for the
template (``tree``). Nothing is saved here: the operations check the whole charter and create
the version.
"""
from territorial.charters.editor.labels import place_label
from territorial.charters.editor.tree import Node, SectionEditor

__all__ = ["Node", "SectionEditor", "place_label"]

"""The scenario editor, ``xuefeng edit``: pygame-ce + pygame_gui over a tomlkit document.

Modules, one job each:

* :mod:`.files`      atomic writes and the folder layout (scenario.toml, drafts, map files)
* :mod:`.document`   the open scenario: tomlkit text, map overrides, the derived map, save/save-as/draft
* :mod:`.commands`   undoable edits as command objects and the undo stack (tied to the unsaved flag)
* :mod:`.validation` the problem list: the engine's load checks plus live stacking rules
* :mod:`.tools`      brush footprints and flood fill on the hex grid (engine geometry)
* :mod:`.forms`      form fields generated from the pydantic models, with help from the TOML comments
* :mod:`.variants`   what a variant changes from the base scenario
* :mod:`.testrun`    the "Test" button: headless AI-vs-AI campaigns in a background thread
* :mod:`.view`       the map view: the game's MapLayer, place labels and counters on the edited data
* :mod:`.app`        the window: toolbar, tree, form, problem list, map; event handling
"""

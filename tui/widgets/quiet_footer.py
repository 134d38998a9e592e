"""The key line at the bottom of every page, rebuilt only when what it shows changes.

Textual 8.2.8's Footer recomposes itself (removes and mounts every key) whenever the screen
publishes "bindings updated": on every focus change, once from the `focused` watcher and
once more after the refresh, so one Tab cost a rebuilt footer or two plus a layout on a
slow link. QuietFooter compares what it would show (keys, labels, enabled or not) with what
it shows and recomposes only when that differs.

On a narrow terminal (60 columns) the keys would run under the palette's key on the right:
the footer then packs the keys closer (Textual's compact footer) and, if that is not
enough, leaves out the palette's key (Ctrl+P works all the same, the help says so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = tuple[tuple[object, ...], ...]


def shown_bindings(screen: Screen, with_palette: bool) -> Shown:
    """What a Footer on `screen` would draw, as comparable values (Footer.compose's input)."""
    app = screen.app
    shown = []
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.show:
            group = binding.group
            shown.append(
                (
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip,
                    None if group is None else (group.description, group.compact),
                )
            )
    if with_palette:
        found = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if found is not None:
            _node, binding, enabled, tooltip = found
            shown.append(
                ("palette", app.get_key_display(binding), binding.description, enabled, tooltip)
            )
    return tuple(shown)


NORMAL, COMPACT, NO_PALETTE = "normal", "compact", "compact-no-palette"
PALETTE_EXTRA = 3  # the palette key: its border, a space and its padding


def footer_mode(shown: Shown, width: int) -> str:
    """How the keys fit `width`: normal, compact, or compact without the palette's key."""
    by_action: dict[object, tuple[object, ...]] = {}
    for item in shown:  # the Footer shows one key per action
        if item[0] != "palette":
            by_action.setdefault(item[3], item)
    keys = list(by_action.values())
    palette = [item for item in shown if item[0] == "palette"]
    normal = sum(len(str(k[1])) + len(str(k[2])) + 3 for k in keys)  # " key " + "label "
    compact = sum(len(str(k[1])) + len(str(k[2])) + 2 for k in keys)  # "key label" + margin
    extra = sum(len(str(p[1])) + len(str(p[2])) + PALETTE_EXTRA for p in palette)
    if width <= 0 or normal + extra <= width:
        return NORMAL
    if compact + extra <= width:
        return COMPACT
    return NO_PALETTE


class QuietFooter(Footer):
    """A Footer that recomposes only when the keys it would show differ from those shown,
    or when a resize changes how they fit."""

    _shown: Shown | None = None
    _mode = NORMAL
    _rebuild_pending = False

    def _would_show(self) -> Shown:
        return shown_bindings(self.screen, bool(self.app.ENABLE_COMMAND_PALETTE))

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def compose(self):
        self._shown = self._would_show() if self._bindings_ready else None
        self._mode = footer_mode(self._shown or (), self._width())
        compact = self._mode != NORMAL
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
        self.set_reactive(Footer.show_command_palette, self._mode != NO_PALETTE)
        yield from super().compose()

    def on_resize(self) -> None:
        if self._shown is not None and footer_mode(self._shown, self._width()) != self._mode:
            self._schedule_rebuild()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._would_show() != self._shown:
            self._schedule_rebuild()

    def _schedule_rebuild(self) -> None:
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        # Read again now: bindings (or the width) may have changed back meanwhile.
        self._rebuild_pending = False
        if not self.is_attached:
            return
        shown = self._would_show()
        if shown != self._shown or footer_mode(shown, self._width()) != self._mode:
            await self.recompose()

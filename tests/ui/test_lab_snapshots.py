"""SVG snapshots of the lab at the smallest and a large size: regenerate on purpose with --snapshot-update."""

from __future__ import annotations

import asyncio

import pytest

from rnn_tui.ui.app import RnnTuiApp


async def three_steps(pilot) -> None:
    """Open the lab on the cats (seed 0), wait for its training process, train three single batches."""
    await pilot.press("l")
    await pilot.pause()
    panel = pilot.app.screen.panel
    while panel.state != "ready":
        await asyncio.sleep(0.02)
    for n in (1, 2, 3):
        await pilot.press("s")
        while panel.frame is None or panel.frame.step < n:
            await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_training_lab_after_three_steps(snap_compare, size):
    """The lab after three single steps: W, U, V, H, the chart and the status all on screen."""
    assert snap_compare(RnnTuiApp(), terminal_size=size, run_before=three_steps)

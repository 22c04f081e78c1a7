"""SecondPress: the first press asks, a second one soon after acts, a late one asks again."""

from rnn_tui.ui.confirm import SecondPress


def test_a_second_press_in_time_confirms_and_a_late_one_asks_again():
    now = [100.0]
    press = SecondPress(4.0, clock=lambda: now[0])
    assert not press.confirmed()          # asks
    now[0] += 3.9
    assert press.confirmed()              # in time: acts
    now[0] += 0.1
    assert not press.confirmed()          # the pair was used up: asks again
    now[0] += 4.5
    assert not press.confirmed()          # too late: asks again
    now[0] += 1.0
    assert press.confirmed()

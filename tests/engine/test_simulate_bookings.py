"""The simulated day with bookings runs through the engine and measures the walk-ins'
estimate with and without counting bookings."""
from queue_server.engine import booked_ahead, simulate_bookings


def test_a_day_with_bookings_reports_both_estimates(app):
    counted = simulate_bookings.run(seed=3, n_tickets=160, n_counters=3, share=0.3)
    plain = simulate_bookings.run(seed=3, n_tickets=160, n_counters=3, share=0.3,
                                  correct=False)
    assert booked_ahead.ENABLED is True  # put back after the run without it
    for result in (counted, plain):
        assert result["bookings"] > 10 and result["booked"]["tickets"] > 5
        assert result["walk_ins"]["tickets"] > 100
        assert result["booked_no_shows"] < result["bookings"]
    # Same seed, same day: the same citizens booked and came.
    assert (counted["bookings"], counted["booked"]["tickets"]) == \
        (plain["bookings"], plain["booked"]["tickets"])
    assert counted["walk_ins"] != plain["walk_ins"]

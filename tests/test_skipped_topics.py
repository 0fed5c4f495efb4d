"""Events no projection reads are not decoded, and the projections still
reach the end of the log when such events come last."""

from projections.registry import all_projections, skipped_topics
from projections.verify import checksums


def test_projections_reach_the_log_end_when_the_last_events_are_skipped(runtime):
    app = runtime.app
    app.open_period("2026-11")
    app.create_user("root", ["admin"], "flt_token")  # directory, user, token: all skipped
    last = app.log_position()
    tail = app.recorder.select_notifications(start=last, limit=1)
    assert tail[0].topic in skipped_topics()
    runtime.runner.catch_up()
    assert runtime.runner.position() == last
    assert runtime.settle(last)


def test_skipping_unread_events_changes_no_read_model(runtime):
    from api.demo import load_demo
    from projections.runner import ProjectionRunner

    load_demo(runtime.app)
    runtime.runner.catch_up()
    skipping = checksums(runtime.engine)
    runtime.runner.reset()
    ProjectionRunner(runtime.app, runtime.engine, all_projections(), skip_topics=()).catch_up()
    assert checksums(runtime.engine) == skipping

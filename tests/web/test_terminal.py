"""车间终端 in a real browser: badge, scan, report; offline reports queued in the
browser and sent once the network returns, each counted exactly once, even
when an answer is lost on the way back and the report is sent again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.conftest import TABLET_LANDSCAPE, TABLET_PORTRAIT, shot, sign_in

CODE = "WO-000003/OP10"  # today's SA-BLANK x 500 (tests/web/server.py), 镦头 at WC-HEAD


def scan(page, text: str) -> None:
    page.locator("#scan").fill(text)
    page.locator("#scan").press("Enter")


def report(page, good: str, scrap: str = "", reason: str = "") -> None:
    page.fill("input[name=good]", good)
    if scrap:
        page.fill("input[name=scrap]", scrap)
        page.click(f"button.reason:has-text('{reason}')")
    page.click("#send-report")


def test_an_operator_reports_online_and_offline_and_each_report_counts_once(new_page):
    page = new_page(TABLET_LANDSCAPE)
    sign_in(page, "operator", next_path="/terminal")
    page.click("a.tile[data-wc=WC-HEAD]")
    page.wait_for_url(re.compile(r"/terminal\?wc=WC-HEAD$"))
    page.locator("#dispatch tr.pick").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "scan"

    scan(page, "WO-000003/OP10")  # no badge yet: refused, red
    assert page.locator("#feedback").inner_text() == "请先刷工牌"
    assert "bad" in page.locator("#feedback").get_attribute("class")
    scan(page, "op-zhang")  # the badge, as the scanner types it
    expect(page.locator("#operator")).to_have_text("OP-ZHANG 张师傅")
    scan(page, CODE)
    page.locator("#op-reports").wait_for()
    assert page.locator("#op-reports tr.report-row").count() == 0

    report(page, "10")
    page.wait_for_function("document.querySelector('#feedback').textContent.startsWith('已记录')")
    assert "ok" in page.locator("#feedback").get_attribute("class")
    page.wait_for_function("document.querySelectorAll('#op-reports tr.report-row').length == 1")
    shot(page, "terminal-tablet-landscape")

    page.context.set_offline(True)
    report(page, "7")
    report(page, "5", scrap="2", reason="尺寸超差")
    assert page.locator("#queue-count").inner_text() == "2"
    assert page.locator("#net").inner_text() == "离线：报工已排队"
    assert page.locator("#feedback").inner_text().startswith("无网络：已排队")
    shot(page, "terminal-offline-queue")

    # Back online: the first answer is lost on its way back (the server recorded
    # the report, the browser saw a failure), so that report is sent again.
    lost: list[str] = []

    def lose_first_answer(route):
        answer = route.fetch()
        if not lost:
            lost.append(answer.text())
            route.abort()
        else:
            route.fulfill(response=answer)

    page.route("**/terminal/report", lose_first_answer)
    page.context.set_offline(False)
    page.wait_for_function("document.querySelector('#queue-count').textContent === '0'",
                           timeout=30000)
    assert '"ok": true' in lost[0] or '"ok":true' in lost[0]

    page.evaluate(f"fetch('/terminal/operation?code={CODE}').then(r => r.text())"
                  ".then(h => document.getElementById('operation').innerHTML = h)")
    page.wait_for_function("document.querySelectorAll('#op-reports tr.report-row').length >= 3")
    rows = page.locator("#op-reports tr.report-row")
    assert rows.count() == 3
    goods = sorted(rows.nth(i).locator("td.num").first.inner_text() for i in range(3))
    assert goods == ["10", "5", "7"]
    assert page.locator("#op-good").inner_text() == "22"
    assert page.locator("#op-scrap").inner_text() == "2"
    assert "尺寸超差" in page.locator("#op-reports").inner_text()


def test_start_pause_resume_and_a_refusal_in_red(new_page):
    page = new_page(TABLET_PORTRAIT)
    sign_in(page, "operator", next_path="/terminal?wc=WC-HEAD")
    scan(page, "OP-ZHANG")
    expect(page.locator("#operator")).to_have_text("OP-ZHANG 张师傅")
    scan(page, "WO-000004/OP10")  # the second SA-BLANK order: not reported on yet
    page.locator("#op-reports").wait_for()

    def press(action: str, feedback: str, status: str | None = None) -> None:
        page.click(f"button[data-action={action}]")
        page.wait_for_function("document.querySelector('#feedback').textContent"
                               f".startsWith('{feedback}')")
        if status:
            page.wait_for_function("document.querySelector('.op-head .badge').textContent"
                                   f" === '{status}'")

    press("start", "已记录", "进行中")
    press("start", "已拒绝")  # running already: the rules refuse, in red
    assert "bad" in page.locator("#feedback").get_attribute("class")
    assert "cannot become running" in page.locator("#feedback").inner_text()
    press("pause", "已记录", "已暂停")
    shot(page, "terminal-tablet-portrait")
    press("resume", "已记录", "进行中")
    scan(page, "nobody-9")
    page.wait_for_function("document.querySelector('#feedback').textContent.startsWith('未知工牌')")


def test_a_viewer_is_refused_the_terminal(new_page):
    page = new_page(TABLET_LANDSCAPE)
    sign_in(page, "viewer")
    assert "/terminal" not in [a.get_attribute("href") for a in page.locator("header nav a").all()]
    answer = page.goto("/terminal?wc=WC-HEAD")
    assert answer.status == 403
    refusal = page.locator(".error-message").inner_text()
    assert "report_operation needs one of these roles" in refusal

"""The parent dashboard in a real headless Chromium (Debian's, installed by scripts/install-system-deps.sh;
driven by Playwright) against the server ``make run`` starts: a parent signs up, adds a child and pairs
a device with the code the page shows; the child chats through the API; an escalating message makes
the alert appear on the parent's open page without a reload (over the parent socket, with the badge);
the parent changes a rule and the child's next message obeys it. Screenshots of each step are kept in
``var/test-artifacts/browser/`` (Chinese rendered with fonts-wqy-microhei)."""

from __future__ import annotations

import os
import re
import shutil
import signal
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.servers import ROOT, api_request, embedded_environment, free_port, start_procfile, wait_healthy

ARTIFACTS = ROOT / "var" / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_a_parent_signs_up_pairs_a_device_and_sees_an_alert_arrive_live(tmp_path: Path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = embedded_environment(tmp_path, HAPPY_PARTNER_PORT=str(port))
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = start_procfile("web", env=env, stdout=out, procfile="Procfile.embedded")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 420, "height": 900}, locale="zh-CN")  # a phone
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

            page.goto(f"{base}/")
            page.screenshot(path=ARTIFACTS / "1-home.png", full_page=True)
            page.get_by_role("link", name="创建家长账号").click()
            page.get_by_label("您的称呼").fill("王妈妈")
            page.get_by_label("电子邮箱").fill("browser.parent@example.com")
            page.get_by_label("密码").fill("a-long-and-good-passphrase")
            page.get_by_label("我已阅读并同意隐私政策。").check()
            page.get_by_role("button", name="创建账号").click()
            expect(page).to_have_url(f"{base}/dashboard/")

            page.get_by_role("link", name="添加孩子").click()
            page.get_by_label("孩子的名字或昵称").fill("小雨")
            page.get_by_label("年龄").fill("8")
            page.get_by_role("button", name="添加", exact=True).click()
            expect(page).to_have_url(re.compile(r"/dashboard/children/\d+/devices/$"))
            page.get_by_role("button", name="配对新设备").click()
            code = page.locator("#pairing-code").inner_text()
            page.screenshot(path=ARTIFACTS / "2-pairing-code.png", full_page=True)
            device = api_request(base, "POST", "devices/pair/", {"code": code, "device_name": "平板"})["access"]

            page.get_by_role("link", name="提醒").first.click()
            expect(page.locator("html")).to_have_attribute("data-live", "open")  # the parent socket is open
            answer = api_request(base, "POST", "chat/", {"text": "我不想活了"}, token=device)
            assert answer["safety"]["action"] == "escalate"
            live = page.locator("#alert-list li.live").first
            expect(live).to_contain_text("伤害自己")  # arrived without a reload, in words
            expect(live).to_contain_text("小雨")
            expect(page.locator("#alert-badge")).to_have_text("1")
            page.screenshot(path=ARTIFACTS / "3-live-alert.png", full_page=True)

            page.goto(f"{base}/dashboard/")
            page.get_by_role("link", name="规则").first.click()
            page.get_by_label("屏蔽词").fill("恐龙")
            page.get_by_role("button", name="保存").click()
            expect(page.locator(".messages")).to_contain_text("下一条消息")
            page.screenshot(path=ARTIFACTS / "4-rules-saved.png", full_page=True)
            obeyed = api_request(
                base, "POST", "chat/", {"text": "我喜欢恐龙", "session": answer["session"]["id"]}, token=device
            )
            assert obeyed["safety"]["action"] == "redirect" and "parent_blocked" in obeyed["safety"]["categories"]

            page.get_by_role("link", name="对话").first.click()
            expect(page.locator(".transcript")).to_contain_text("我喜欢恐龙")
            page.screenshot(path=ARTIFACTS / "5-transcript.png", full_page=True)
            browser.close()
        assert errors == []  # no script error, no CSP violation in the console
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert "我不想活了" not in text  # no child's words in a server log

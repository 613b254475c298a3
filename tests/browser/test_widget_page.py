"""The website chat widget as a customer meets it, in Chromium, against a real Rasa socket.io server whose agent
echoes (the conversation with the trained assistant is test_widget_conversation.py)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.widget_support import (PHONE, chromium, echo_assistant, open_page,  # noqa: F401 (fixtures)
                                          screenshot, widget_site)
from tests.support.servers import free_port

LAUNCHER = "Privacy requests — chat with us"
BOT, USER, MESSAGES = ".pd-bot .pd-text", ".pd-user .pd-text", ".pd-msg .pd-text"  # without the spoken "You:"


def open_chat(page):
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.get_by_role("dialog", name="Privacy assistant")).to_be_visible()


def say(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_the_privacy_notice_is_shown_before_the_first_message(open_page):
    page = open_page()
    screenshot(page, "01-website")
    open_chat(page)
    notice = page.locator("#pd-notice")
    for words in ("name, email address, phone number", "the date and time of the call", "To handle your request",
                  "kept as the legal record of your request"):
        expect(notice).to_contain_text(words)
    expect(page.locator(MESSAGES)).to_have_count(0)
    screenshot(page, "02-chat-open-with-notice")

    say(page, "Hello")

    expect(page.locator(BOT)).to_have_text(["You wrote: Hello"])
    assert notice.bounding_box()["y"] < page.locator(USER).bounding_box()["y"]


def test_a_conversation_with_the_keyboard_alone(open_page, echo_assistant):
    page = open_page()
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page) == "pd-launcher":
            break
    assert focused(page) == "pd-launcher", "Tab never reaches the chat button"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # visible focus
    screenshot(page, "03-keyboard-focus-on-chat-button")

    page.keyboard.press("Enter")
    assert focused(page) == "pd-input"
    page.keyboard.type("I want a copy of my call")
    page.keyboard.press("Enter")
    expect(page.locator(BOT)).to_have_text(["You wrote: I want a copy of my call"])
    expect(page.locator("#pd-live")).to_contain_text("Assistant: You wrote: I want a copy of my call")

    page.keyboard.type("line one")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("line two")
    page.keyboard.press("Enter")
    expect(page.locator(BOT).last).to_have_text("You wrote: line one\nline two")

    page.keyboard.type("/choose")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Erase my data")).to_be_visible()
    page.keyboard.press("Shift+Tab")  # the suggested answers come just before the message box
    assert page.evaluate("document.activeElement.textContent") == "Erase my data"
    screenshot(page, "04-keyboard-suggested-answers")
    page.keyboard.press("Enter")
    expect(page.locator(USER).last).to_have_text("Erase my data")
    expect(page.locator(BOT).last).to_have_text("You wrote: /request_erasure")

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Privacy assistant")).to_be_hidden()
    assert focused(page) == "pd-launcher"


def test_a_reload_keeps_the_conversation(open_page, echo_assistant):
    assistant, _ = echo_assistant
    page = open_page()
    open_chat(page)
    say(page, "My name is Jane")
    expect(page.locator(BOT)).to_have_text(["You wrote: My name is Jane"])

    page.reload()

    expect(page.get_by_role("dialog", name="Privacy assistant")).to_be_visible()
    expect(page.locator(MESSAGES)).to_have_text(["My name is Jane", "You wrote: My name is Jane"])
    say(page, "Are you still there?")
    expect(page.locator(BOT).last).to_have_text("You wrote: Are you still there?")
    senders = {m["sender_id"] for m in assistant.received() if m["text"] in ("My name is Jane", "Are you still there?")}
    assert len(senders) == 1  # one conversation in Rasa, before and after the reload


def test_starting_over_clears_the_chat_from_this_device(open_page, echo_assistant):
    assistant, _ = echo_assistant
    page = open_page()
    open_chat(page)
    say(page, "first conversation")
    expect(page.locator(BOT)).to_have_count(1)

    page.get_by_role("button", name="Start over and clear this chat from this device").click()

    expect(page.locator(MESSAGES)).to_have_count(0)
    assert "first conversation" not in page.evaluate("JSON.stringify(localStorage)")
    say(page, "second conversation")
    expect(page.locator(BOT)).to_have_text(["You wrote: second conversation"])
    senders = {m["text"]: m["sender_id"] for m in assistant.received()}
    assert senders["first conversation"] != senders["second conversation"]


def test_the_browser_language_travels_with_each_message(open_page, echo_assistant):
    assistant, _ = echo_assistant
    page = open_page(locale="fr-FR")
    open_chat(page)
    say(page, "Bonjour, je veux effacer mes données")
    expect(page.locator(BOT)).to_have_count(1)
    [message] = [m for m in assistant.received() if m["text"] == "Bonjour, je veux effacer mes données"]
    assert message["metadata"] == {"language": "fr", "locale": "fr-FR"}
    assert message["channel"] == "socketio"


def test_markup_in_messages_is_shown_as_text(open_page):
    page = open_page()
    open_chat(page)
    markup = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><b>bold</b>'

    say(page, markup)

    expect(page.locator(USER)).to_have_text([markup])
    expect(page.locator(BOT)).to_have_text([f"You wrote: {markup}"])
    assert page.evaluate("window.pwned") is None
    assert page.locator("#pd-chat script, #pd-chat img, #pd-chat b").count() == 0
    screenshot(page, "05-markup-shown-as-text")


def test_the_chat_fits_a_phone_screen(open_page):
    page = open_page(**PHONE)
    screenshot(page, "06-phone-website")
    open_chat(page)
    say(page, "Can I get the recording of my call from last Tuesday?")
    expect(page.locator(BOT)).to_have_count(1)

    width, height = PHONE["viewport"]["width"], PHONE["viewport"]["height"]
    panel = page.get_by_role("dialog", name="Privacy assistant").bounding_box()
    assert panel["x"] >= 0 and panel["y"] >= 0
    assert panel["x"] + panel["width"] <= width and panel["y"] + panel["height"] <= height
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing to scroll sideways
    send = page.get_by_role("button", name="Send").bounding_box()
    assert send["y"] + send["height"] <= height and send["height"] >= 44  # reachable, and big enough for a thumb
    assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('pd-input')).fontSize)") >= 16
    screenshot(page, "07-phone-chat")


def test_an_unreachable_assistant_is_said_plainly_and_the_message_kept(open_page, monkeypatch):
    monkeypatch.setenv("PRIVACY_DESK_WIDGET_RASA_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    page = open_page()
    open_chat(page)

    say(page, "Please erase my data")

    expect(page.get_by_role("alert")).to_have_text(
        "We could not reach the assistant; your message was not sent. Try again in a moment, or write to "
        "data.compliance@harbourline.example.")
    expect(page.get_by_role("link", name="data.compliance@harbourline.example").last).to_have_attribute(
        "href", "mailto:data.compliance@harbourline.example")
    expect(page.get_by_label("Your message")).to_have_value("Please erase my data")
    expect(page.locator(MESSAGES)).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("The assistant cannot be reached at the moment; trying again…")
    screenshot(page, "08-assistant-unreachable")


def test_a_message_the_assistant_does_not_answer_is_not_left_hanging(open_page):
    page = open_page()
    open_chat(page)
    say(page, "/silence")
    expect(page.get_by_role("alert")).to_have_text(
        "The assistant has not replied to this message. Try again, or write to data.compliance@harbourline.example.")
    expect(page.get_by_role("status")).to_have_text("")

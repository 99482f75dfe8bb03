"""Moving through pages with the keyboard alone, as the keyboard journeys do (WCAG 2.1.1, 2.4.7)."""

from exchange.demo_accounts import DEMO_PASSWORD

# What the focused element is, and whether it shows its focus (GOV.UK Frontend draws focus as a yellow
# box-shadow or outline; a radio or checkbox draws it on its label's ::before, the input being hidden).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const clear = (colour) => colour === 'transparent' || /^rgba\\(.*,\\s*0\\)$/.test(colour);
  const visible = (style) => style.boxShadow !== 'none'
    || (style.outlineStyle !== 'none' && style.outlineWidth !== '0px' && !clear(style.outlineColor));
  let shown = visible(getComputedStyle(e));
  if (!shown && (e.type === 'radio' || e.type === 'checkbox') && e.labels && e.labels[0]) {
    shown = visible(getComputedStyle(e.labels[0], '::before'));
  }
  const label = e.labels && e.labels[0] ? e.labels[0].innerText.trim() : '';
  const group = e.closest('fieldset') ? (e.closest('fieldset').querySelector('legend') || {}).innerText || '' : '';
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', id: e.id || '',
          text: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' '), label: label, group: group.trim(),
          shown: shown, html: e.outerHTML.slice(0, 160)};
}"""


class Keyboard:
    """Moves the focus with Tab until an element matches, recording any focus that is not visible."""

    def __init__(self, page):
        self.page = page
        self.hidden_focus = []

    def tab_to(self, matches, *, limit=800, backwards=False):
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            if not focused["shown"]:
                self.hidden_focus.append(focused["html"])
            if matches(focused):
                return focused
        raise AssertionError(f"Tab never reached the element on {self.page.url}")

    def press(self, key):
        self.page.keyboard.press(key)

    def follow(self, key="Enter"):
        """Press a key that leads to another page (a link or a form's button), and wait for that page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def type(self, text):
        self.page.keyboard.type(text)


def sign_in_by_keyboard(page, live_server, keys, username):
    page.goto(f"{live_server.url}/sign-in/")
    keys.tab_to(lambda f: f["label"] == "Username")
    keys.type(username)
    keys.tab_to(lambda f: f["label"] == "Password")
    keys.type(DEMO_PASSWORD)
    keys.follow("Enter")

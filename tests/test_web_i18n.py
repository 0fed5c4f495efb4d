"""The console's catalogs: one per page family, merged, with the family being
rendered first, so the same English text may mean different things to
different roles (no clash silently decided by file order)."""

from __future__ import annotations

import pytest

from api.web import i18n


@pytest.mark.parametrize(("family", "message", "chinese"), [
    ("stores", "Lot", "批号"),
    ("inspector", "Lot", "检验批"),
    ("stores", "Count", "盘点"),
    ("inspector", "Count", "数量"),
    ("maintenance", "Order", "工单"),
    ("planner", "Order", "订单"),
    ("terminal", "Available", "可加工"),
    ("stores", "Available", "可用"),
])
def test_the_family_being_rendered_translates_first(family, message, chinese):
    i18n.set_language("zh_CN")
    i18n.set_family(family)
    try:
        assert i18n.gettext(message) == chinese
    finally:
        i18n.set_family("")


def test_a_text_the_family_lacks_comes_from_the_merged_catalogs():
    i18n.set_language("zh_CN")
    i18n.set_family("board")
    try:
        # 凭证 is the accountant's and the storekeeper's word; the board has none
        assert i18n.gettext("Voucher") in ("凭证", "凭证号")
        assert i18n.gettext("Stock") == i18n.translations("zh_CN").gettext("Stock")
    finally:
        i18n.set_family("")
    i18n.set_language("en")
    assert i18n.gettext("Lot") == "Lot"

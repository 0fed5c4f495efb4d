"""大写金额: an amount in Chinese capitals, as an invoice prints 价税合计.

The rules (docs/reference/china-facts.md): digits 零壹贰叁肆伍陆柒捌玖, units
拾佰仟 within a group of four digits and 万亿 between groups, then 元角分;
整 after 元 when there is no 角 or 分; one 零 stands for a run of zeros
inside the number; 零 after 元 when 角 is 0 and 分 is not; every 拾 has its
digit (16.00 is 壹拾陆元整); below one yuan there is no 零元 (0.05 is 伍分);
zero is 零元整; a negative amount (a red invoice) is prefixed 负数.
"""

from __future__ import annotations

from decimal import Decimal

from domain.money import round_amount

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")  # within a group of four digits
GROUP_UNITS = ("", "万", "亿", "万亿")  # between groups


def amount_in_words(amount: Decimal) -> str:
    """``Decimal('2260.00')`` -> ``'贰仟贰佰陆拾元整'`` (rounded half-up to 0.01 first)."""
    cents = int(round_amount(Decimal(amount)) * 100)
    if cents == 0:
        return "零元整"
    sign = "负数" if cents < 0 else ""
    yuan, rest = divmod(abs(cents), 100)
    jiao, fen = divmod(rest, 10)
    if yuan >= 10 ** (4 * len(GROUP_UNITS)):
        raise ValueError(f"{amount} is too large to write in capitals")
    words = _integer_words(yuan)
    if yuan:
        words += "元"
        if not jiao and not fen:
            return sign + words + "整"
        if not jiao:
            words += "零"  # 325.04 -> 叁佰贰拾伍元零肆分
    if jiao:
        words += DIGITS[jiao] + "角"
    if fen:
        words += DIGITS[fen] + "分"
    return sign + words


def _integer_words(n: int) -> str:
    """Yuan part without 元; '' for 0."""
    text = str(n) if n else ""
    out: list[str] = []
    zero_pending = False
    for i, ch in enumerate(text):
        place = len(text) - 1 - i
        digit = int(ch)
        if digit == 0:
            zero_pending = bool(out)  # a leading zero never happens; inner zeros do
        else:
            if zero_pending:
                out.append("零")  # one 零 for the whole run, also across 万/亿
                zero_pending = False
            out.append(DIGITS[digit] + SMALL_UNITS[place % 4])
        if place % 4 == 0 and place > 0:
            group = text[max(0, i - 3): i + 1]
            if int(group):
                out.append(GROUP_UNITS[place // 4])
    return "".join(out)

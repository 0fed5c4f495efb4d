"""大写金额: every example of docs/reference/china-facts.md, the edge cases an
invoice meets (a cent, ten yuan, a hundred million, zeros inside, red
invoices), and properties over random amounts."""

from decimal import Decimal as Dec

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.invoicing.amount_words import DIGITS, amount_in_words

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("amount, words", [
    # the examples in china-facts.md
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("2260.00", "贰仟贰佰陆拾元整"),
    ("16.00", "壹拾陆元整"),
    # edge cases
    ("0.01", "壹分"),
    ("0.10", "壹角"),
    ("0.15", "壹角伍分"),
    ("10.00", "壹拾元整"),
    ("100000000.00", "壹亿元整"),
    ("100010.00", "壹拾万零壹拾元整"),
    ("1000000.01", "壹佰万元零壹分"),
    ("100010000.00", "壹亿零壹万元整"),
    ("1000100.00", "壹佰万零壹佰元整"),
    ("110000.00", "壹拾壹万元整"),
    ("10000000.00", "壹仟万元整"),
    ("1000.50", "壹仟元伍角"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("0", "零元整"),
    ("0.00", "零元整"),
    # red invoices
    ("-2260.00", "负数贰仟贰佰陆拾元整"),
    ("-0.05", "负数伍分"),
    ("-452.00", "负数肆佰伍拾贰元整"),
])
def test_amounts_are_written_in_capitals_by_the_rules(amount, words):
    assert amount_in_words(Dec(amount)) == words


def test_amounts_are_rounded_half_up_to_the_cent_first():
    assert amount_in_words(Dec("0.005")) == "壹分"
    assert amount_in_words(Dec("0.004")) == "零元整"
    assert amount_in_words(Dec("2259.995")) == "贰仟贰佰陆拾元整"
    assert amount_in_words(Dec("-0.004")) == "零元整"  # no 负数 for a zero


def test_an_amount_beyond_the_units_is_refused():
    with pytest.raises(ValueError):
        amount_in_words(Dec("10") ** 16)


def _parse(words: str) -> Dec:
    """Read capitals back (a small independent reader for the property test)."""
    sign = -1 if words.startswith("负数") else 1
    words = words.removeprefix("负数").removesuffix("整")
    small = {"拾": 10, "佰": 100, "仟": 1000}
    total = Dec(0)
    section = Dec(0)  # below 万
    number = Dec(0)
    digit = 0
    for ch in words:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch in small:
            section += digit * small[ch]
            digit = 0
        elif ch == "万":
            number += (section + digit) * 10_000
            section, digit = Dec(0), 0
        elif ch == "亿":
            total += (number + section + digit) * 100_000_000
            number, section, digit = Dec(0), Dec(0), 0
        elif ch == "元":
            total += number + section + digit
            number, section, digit = Dec(0), Dec(0), 0
        elif ch == "角":
            total += Dec(digit) / 10
            digit = 0
        elif ch == "分":
            total += Dec(digit) / 100
            digit = 0
    return sign * total


@given(st.integers(min_value=-99_999_999_999_999, max_value=99_999_999_999_999))
def test_capitals_read_back_to_the_amount_and_follow_the_zero_rules(cents):
    amount = Dec(cents) / 100
    words = amount_in_words(amount)
    assert _parse(words) == amount
    assert "零零" not in words  # one 零 for a run of zeros
    if cents:
        assert not words.removeprefix("负数").startswith(("零", "拾", "元"))
    assert words.endswith(("整", "角", "分"))
    assert ("整" in words) == (cents % 100 == 0)
    assert words.startswith("负数") == (cents < 0)

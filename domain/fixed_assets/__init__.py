"""Fixed assets (固定资产): asset cards, monthly depreciation (年限平均法, 工作量法,
双倍余额递减法) and disposal through 1606, in one register that equals 1601 and
1602 at every moment (docs/fixed-assets.md)."""

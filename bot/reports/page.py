"""The page every document the office prints is set on (Nghị định 30/2020/NĐ-CP, Phụ lục I):
A4, top and bottom margins 20-25 mm, left 30-35 mm, right 15-20 mm. One place for the Word
report, the onboarding kit and the Excel appendix (openpyxl counts in inches)."""

MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.6}
INCH_CM = 2.54


def margins_in_inches() -> dict[str, float]:
    return {side: cm / INCH_CM for side, cm in MARGINS_CM.items()}

"""Online admission: a family applies from home, a school reviews, asks for corrections, admits or refuses."""

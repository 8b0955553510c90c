"""Small scenarios shared by several test files."""

#: A 2x2 game with three parameters, every payoff an expression in them.
SMALL = """
name = "small"
[players]
row = ["up", "down"]
col = ["left", "right"]
[parameters]
a = { value = 2, min = 0, max = 5 }
b = { value = 1, min = 0, max = 5 }
c = { value = 0.5, min = 0, max = 1 }
[payoffs]
"up, left" = ["a - b", "c*a"]
"up, right" = ["b", "-c"]
"down, left" = ["a*c", "b - a"]
"down, right" = ["0", "c - b"]
"""

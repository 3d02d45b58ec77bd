"""Analysis of stored skill mentions: demand and trends, significance, co-occurrence, salaries, clusters."""

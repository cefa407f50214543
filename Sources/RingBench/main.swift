print("ring benchmark: not built yet")

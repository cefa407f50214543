print("emud: not built yet")

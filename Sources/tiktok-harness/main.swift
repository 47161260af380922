print("tiktok-harness: under construction")

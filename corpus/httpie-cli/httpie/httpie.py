def main():
    print("usage: httpie [METHOD] URL [ITEM ...]")

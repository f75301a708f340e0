import os

print(f"billing in {os.environ.get('BILLING_CURRENCY', 'EUR')}")

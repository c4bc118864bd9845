import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "modeling")
sys.path.insert(0, os.path.join(ROOT, "engines", "torch", "src"))

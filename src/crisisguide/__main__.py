"""``python -m crisisguide``."""

from crisisguide.cli import main

if __name__ == "__main__":
    main()

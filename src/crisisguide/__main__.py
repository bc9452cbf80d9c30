"""``python -m crisisguide``."""

from crisisguide.entry import main

if __name__ == "__main__":
    main()

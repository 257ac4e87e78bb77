"""`python -m etl`: the same command as `etl`."""

from etl.cli import main

if __name__ == "__main__":
    main(prog_name="etl")

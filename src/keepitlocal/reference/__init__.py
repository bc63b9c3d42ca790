"""Reference tables packaged with keepitlocal, each row with its source, licence and status."""

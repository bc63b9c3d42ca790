"""keepitlocal: measure, show and grow how much public money stays local."""

"""Dispute Sandbox: faithful local fakes of five providers' dispute and case APIs."""

__version__ = "0.1.0"

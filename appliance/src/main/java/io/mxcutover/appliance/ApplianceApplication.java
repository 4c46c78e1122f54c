package io.mxcutover.appliance;

public class ApplianceApplication {
    public static void main(String[] args) {}
}

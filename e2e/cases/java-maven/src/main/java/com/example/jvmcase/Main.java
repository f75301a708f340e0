package com.example.jvmcase;

import com.sun.security.auth.module.UnixSystem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A wharf e2e case: compiled by Maven offline, run on a JRE and on a jlink
 * runtime. UnixSystem is in jdk.security.auth, a module beyond java.base
 * that jdeps must find for the jlink runtime.
 */
public final class Main {
    public static void main(String[] args) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("wharf".getBytes(StandardCharsets.UTF_8));
        System.out.println("java " + Runtime.version().feature());
        System.out.println("sha256: " + HexFormat.of().formatHex(digest, 0, 8));
        System.out.println("uid: " + new UnixSystem().getUid());
    }
}

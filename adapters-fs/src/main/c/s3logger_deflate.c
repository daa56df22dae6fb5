/*
 * JNI binding of libdeflate's whole-buffer gzip compressor for io.s3logger.adapter.fs.Libdeflate.
 * Linked statically against libdeflate.a, so the library needs nothing but libc at run time.
 * Every function is a thin pass-through: the Java side checks arguments and owns the life cycle.
 */
#include <jni.h>
#include <stdint.h>
#include <libdeflate.h>

#define COMPRESSOR(handle) ((struct libdeflate_compressor *) (intptr_t) (handle))

JNIEXPORT jstring JNICALL
Java_io_s3logger_adapter_fs_Libdeflate_version(JNIEnv *env, jclass cls)
{
    return (*env)->NewStringUTF(env, LIBDEFLATE_VERSION_STRING);
}

JNIEXPORT jlong JNICALL
Java_io_s3logger_adapter_fs_Libdeflate_allocCompressor(JNIEnv *env, jclass cls, jint level)
{
    return (jlong) (intptr_t) libdeflate_alloc_compressor(level);
}

JNIEXPORT jlong JNICALL
Java_io_s3logger_adapter_fs_Libdeflate_gzipCompressBound(JNIEnv *env, jclass cls, jlong compressor, jint length)
{
    return (jlong) libdeflate_gzip_compress_bound(COMPRESSOR(compressor), (size_t) length);
}

/* Returns the member's size, 0 if it did not fit in out, or -1 with a Java exception pending. */
JNIEXPORT jint JNICALL
Java_io_s3logger_adapter_fs_Libdeflate_gzipCompress(JNIEnv *env, jclass cls, jlong compressor,
        jbyteArray in, jint in_length, jbyteArray out, jint out_capacity)
{
    /* Critical access avoids copying a megabyte each way; nothing here calls back into the JVM. */
    jbyte *src = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (src == NULL) {
        return -1;
    }
    jbyte *dst = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (dst == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
        return -1;
    }
    size_t size = libdeflate_gzip_compress(COMPRESSOR(compressor), src, (size_t) in_length, dst, (size_t) out_capacity);
    (*env)->ReleasePrimitiveArrayCritical(env, out, dst, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, src, JNI_ABORT);
    return (jint) size;
}

JNIEXPORT void JNICALL
Java_io_s3logger_adapter_fs_Libdeflate_freeCompressor(JNIEnv *env, jclass cls, jlong compressor)
{
    libdeflate_free_compressor(COMPRESSOR(compressor));
}

"""Reads TensorBoard event files with libraries independent of convmirror's writer.

Debian ships no tensorboard or tensorflow, so this uses what it does ship: python3-protobuf to
parse the Event messages (their descriptors built here from the field numbers of TensorBoard's
event.proto and summary.proto) and python3-crcmod for the CRC32C of each record. Prints one JSON
object per event.

usage: python3 read_events.py EVENT_FILE...
"""
import base64
import json
import struct
import sys

try:
    import crcmod.predefined
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
except ImportError as e:
    sys.exit("reading event files needs Debian's python3-protobuf and python3-crcmod"
             " (apt-get install python3-protobuf python3-crcmod; .ci/run does this): %s" % e)

crc32c = crcmod.predefined.mkCrcFun("crc-32c")


def masked(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def messages():
    T = descriptor_pb2.FieldDescriptorProto
    f = descriptor_pb2.FileDescriptorProto(name="tb_events.proto", package="tb", syntax="proto3")

    def msg(name, *fields):
        m = f.message_type.add(name=name)
        for fname, number, ftype, type_name, repeated in fields:
            fd = m.field.add(name=fname, number=number, type=ftype,
                             label=T.LABEL_REPEATED if repeated else T.LABEL_OPTIONAL)
            if type_name:
                fd.type_name = ".tb." + type_name

    msg("Image", ("height", 1, T.TYPE_INT32, None, False), ("width", 2, T.TYPE_INT32, None, False),
        ("colorspace", 3, T.TYPE_INT32, None, False),
        ("encoded_image_string", 4, T.TYPE_BYTES, None, False))
    msg("Value", ("tag", 1, T.TYPE_STRING, None, False),
        ("simple_value", 2, T.TYPE_FLOAT, None, False), ("image", 4, T.TYPE_MESSAGE, "Image", False))
    msg("Summary", ("value", 1, T.TYPE_MESSAGE, "Value", True))
    msg("SessionLog", ("status", 1, T.TYPE_INT32, None, False))
    msg("Event", ("wall_time", 1, T.TYPE_DOUBLE, None, False), ("step", 2, T.TYPE_INT64, None, False),
        ("file_version", 3, T.TYPE_STRING, None, False),
        ("summary", 5, T.TYPE_MESSAGE, "Summary", False),
        ("session_log", 7, T.TYPE_MESSAGE, "SessionLog", False))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("tb.Event"))


def main():
    Event = messages()
    for path in sys.argv[1:]:
        data = open(path, "rb").read()
        pos = 0
        while pos < len(data):
            header = data[pos:pos + 8]
            (length,) = struct.unpack("<Q", header)
            (header_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
            if masked(header) != header_crc:
                sys.exit("%s: bad length CRC at byte %d" % (path, pos))
            body = data[pos + 12:pos + 12 + length]
            (body_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
            if masked(body) != body_crc:
                sys.exit("%s: bad data CRC at byte %d" % (path, pos))
            pos += 16 + length
            e = Event()
            e.ParseFromString(body)
            out = {"file": path, "step": e.step, "wall_time": e.wall_time}
            if e.file_version:
                out["file_version"] = e.file_version
            if e.HasField("session_log"):
                out["session_status"] = e.session_log.status
            scalars, images = {}, {}
            for v in e.summary.value:
                if v.HasField("image"):
                    images[v.tag] = {"height": v.image.height, "width": v.image.width,
                                     "colorspace": v.image.colorspace,
                                     "png": base64.b64encode(v.image.encoded_image_string).decode()}
                else:
                    scalars[v.tag] = v.simple_value
            out["scalars"] = scalars
            out["images"] = images
            print(json.dumps(out))


main()
